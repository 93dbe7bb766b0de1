import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { SettingsService } from '../../../settings/settings.service';
import { FileStorage } from '../../../storage/file-storage';
import { isFeedbackEnabled } from '../../common/support-settings';
import { RetiredAdapters } from '../retired-adapters';
import { ZammadBackend } from './zammad.backend';
import { missingZammadSettings, zammadSettingsFrom } from './zammad.config';

/**
 * Builds the Zammad adapter from the runtime settings and keeps it while they hold, for
 * the support API (through `SupportBackendProvider`) and for the outbox deliverer, the
 * webhook processor and the puller. Those keep serving Zammad issues after an admin makes
 * another backend active, because an issue stays with the backend it was created in.
 */
@Injectable()
export class ZammadAdapterProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(ZammadAdapterProvider.name);
  private cached: { key: string; backend: ZammadBackend } | undefined;
  private readonly retired = new RetiredAdapters<ZammadBackend>('Zammad', (backend) => backend.closeConnections(), this.logger);

  constructor(
    private readonly settings: SettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
  ) {}

  current(): ZammadBackend {
    const settings = zammadSettingsFrom(this.settings.getAll());
    const key = JSON.stringify(settings);
    if (this.cached?.key !== key) {
      if (this.cached) this.retired.retire(this.cached.backend);
      const backend = new ZammadBackend(settings, {
        dataSource: this.dataSource,
        store: this.storage,
        feedbackEnabled: () => isFeedbackEnabled(this.settings),
      });
      this.cached = { key, backend };
      this.logger.log(`Zammad adapter built for ${settings.apiUrl || '(no ZAMMAD_API_URL)'}`);
    }
    return this.cached.backend;
  }

  /** Tells whether `ZAMMAD_API_URL` and `ZAMMAD_TOKEN` are set, so Zammad can be called. */
  isConfigured(): boolean {
    return this.missingSettings().length === 0;
  }

  /** Names of the settings that must be set before Zammad can be called, or an empty list. */
  missingSettings(): string[] {
    return missingZammadSettings(zammadSettingsFrom(this.settings.getAll()));
  }

  /** Closes the connections of the current adapter and of the replaced ones still in their grace period. */
  async onApplicationShutdown(): Promise<void> {
    const current = this.cached?.backend;
    this.cached = undefined;
    await this.retired.closeAll(current);
  }
}
