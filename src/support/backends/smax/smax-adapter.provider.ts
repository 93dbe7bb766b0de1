import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

import { SETTING_KEYS } from '../../../settings/settings.registry';
import { SettingsService } from '../../../settings/settings.service';
import { isFeedbackEnabled } from '../../common/support-settings';
import { RetiredAdapters } from '../retired-adapters';
import { SmaxBackend } from './smax.backend';
import { missingSmaxSettings, smaxOptionsFromSettings } from './smax.config';

const SMAX_KEYS = SETTING_KEYS.filter((key) => key.startsWith('SMAX_'));

/**
 * Builds the SMAX adapter from the runtime settings and keeps it while they hold, for the
 * support API (through `SupportBackendProvider`) and for the outbox deliverer, the webhook
 * processor and the puller. Those keep serving SMAX issues after an admin makes another
 * backend active, because an issue stays with the backend it was created in.
 */
@Injectable()
export class SmaxAdapterProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(SmaxAdapterProvider.name);
  private cached: { key: string; backend: SmaxBackend } | undefined;
  private readonly retired = new RetiredAdapters<SmaxBackend>('SMAX', (backend) => backend.close(), this.logger);

  constructor(private readonly settings: SettingsService) {}

  current(): SmaxBackend {
    const values = this.settings.getAll();
    const key = JSON.stringify(SMAX_KEYS.map((name) => values[name]));
    if (this.cached?.key !== key) {
      if (this.cached) this.retired.retire(this.cached.backend);
      const backend = new SmaxBackend(smaxOptionsFromSettings(values), { isFeedbackEnabled: () => isFeedbackEnabled(this.settings) });
      this.cached = { key, backend };
      this.logger.log(`SMAX adapter built for ${values.SMAX_API_URL || '(no SMAX_API_URL)'}`);
    }
    return this.cached.backend;
  }

  /** Names of the settings that must be set before SMAX can be called, or an empty list. */
  missingSettings(): string[] {
    return missingSmaxSettings(smaxOptionsFromSettings(this.settings.getAll()));
  }

  /** Closes the connections of the current adapter and of the replaced ones still in their grace period. */
  async onApplicationShutdown(): Promise<void> {
    const current = this.cached?.backend;
    this.cached = undefined;
    await this.retired.closeAll(current);
  }
}
