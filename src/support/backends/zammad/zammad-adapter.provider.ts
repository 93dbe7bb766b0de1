import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { SettingsService } from '../../../settings/settings.service';
import { isFeedbackEnabled } from '../../common/support-settings';
import { ATTACHMENT_STORE, AttachmentStore } from './attachment-store';
import { ZammadBackend } from './zammad.backend';
import { missingZammadSettings, zammadSettingsFrom } from './zammad.config';

/**
 * Builds the Zammad adapter from the runtime settings and keeps it while they hold, for
 * the support API (through `SupportBackendProvider`) and for the outbox deliverer, the
 * webhook processor and the puller. Those keep serving Zammad issues after an admin makes
 * another backend active, because an issue stays with the backend it was created in.
 */
@Injectable()
export class ZammadAdapterProvider {
  private readonly logger = new Logger(ZammadAdapterProvider.name);
  private cached: { key: string; backend: ZammadBackend } | undefined;

  constructor(
    private readonly settings: SettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(ATTACHMENT_STORE) private readonly store?: AttachmentStore | null,
  ) {}

  current(): ZammadBackend {
    const settings = zammadSettingsFrom(this.settings.getAll());
    const key = JSON.stringify(settings);
    if (this.cached?.key !== key) {
      this.cached = {
        key,
        backend: new ZammadBackend(settings, {
          dataSource: this.dataSource,
          store: this.store ?? undefined,
          feedbackEnabled: () => isFeedbackEnabled(this.settings),
        }),
      };
      this.logger.log(`Zammad adapter built for ${settings.apiUrl || '(no ZAMMAD_API_URL)'}`);
    }
    return this.cached.backend;
  }

  /** Tells whether `ZAMMAD_API_URL` and `ZAMMAD_TOKEN` are set, so Zammad can be called. */
  isConfigured(): boolean {
    return missingZammadSettings(zammadSettingsFrom(this.settings.getAll())).length === 0;
  }
}
