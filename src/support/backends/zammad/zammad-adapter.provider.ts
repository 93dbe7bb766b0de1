import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { SettingsService } from '../../../settings/settings.service';
import { FileStorage } from '../../../storage/file-storage';
import { isFeedbackEnabled } from '../../common/support-settings';
import { ZammadBackend } from './zammad.backend';
import { missingZammadSettings, zammadSettingsFrom } from './zammad.config';

/**
 * Time a replaced adapter keeps its connections open, so operations that took it before
 * the change can finish. It exceeds the outbox's default delivery timeout of 60 seconds.
 */
const RETIRED_ADAPTER_GRACE_MS = 90_000;

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
  private readonly retired = new Map<ZammadBackend, NodeJS.Timeout>();

  constructor(
    private readonly settings: SettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
  ) {}

  current(): ZammadBackend {
    const settings = zammadSettingsFrom(this.settings.getAll());
    const key = JSON.stringify(settings);
    if (this.cached?.key !== key) {
      if (this.cached) this.retire(this.cached.backend);
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
    return missingZammadSettings(zammadSettingsFrom(this.settings.getAll())).length === 0;
  }

  /** Closes the connections of the current adapter and of the replaced ones still in their grace period. */
  async onApplicationShutdown(): Promise<void> {
    const open = [...this.retired.keys()];
    for (const timer of this.retired.values()) clearTimeout(timer);
    this.retired.clear();
    if (this.cached) open.push(this.cached.backend);
    this.cached = undefined;
    await Promise.all(open.map((backend) => this.close(backend)));
  }

  private retire(backend: ZammadBackend): void {
    const timer = setTimeout(() => {
      this.retired.delete(backend);
      void this.close(backend);
    }, RETIRED_ADAPTER_GRACE_MS);
    timer.unref();
    this.retired.set(backend, timer);
  }

  private async close(backend: ZammadBackend): Promise<void> {
    try {
      await backend.closeConnections();
    } catch (error) {
      this.logger.warn(`Closing the connections of a Zammad adapter failed: ${(error as Error).message}`);
    }
  }
}
