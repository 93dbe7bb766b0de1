import { Injectable } from '@nestjs/common';

import { ConfigurationDto } from './dto/configuration.dto';
import { SettingsService } from './settings.service';

/** Builds `/api/configuration/` from the current settings, so a saved change shows on the next read. */
@Injectable()
export class ConfigurationService {
  constructor(private readonly settings: SettingsService) {}

  retrieve(): ConfigurationDto {
    const values = this.settings.getAll();
    return {
      WALDUR_CORE: {
        SITE_NAME: values.SITE_NAME,
        HOMEPORT_URL: values.HOMEPORT_URL,
        ...(values.SITE_EMAIL ? { SITE_EMAIL: values.SITE_EMAIL } : {}),
      },
      // The frontend reads these without null checks, so the object is always present.
      WALDUR_SUPPORT: {
        ENABLED: values.WALDUR_SUPPORT_ENABLED,
        ACTIVE_BACKEND_TYPE: values.WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE,
        DISPLAY_REQUEST_TYPE: values.WALDUR_SUPPORT_DISPLAY_REQUEST_TYPE,
      },
      FEATURES: { support: { conceal_change_request: false } },
    };
  }
}
