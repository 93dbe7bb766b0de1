import { Global, Module } from '@nestjs/common';

import { ConfigurationController } from './configuration.controller';
import { ConfigurationService } from './configuration.service';
import { OverrideSettingsController } from './override-settings.controller';
import { OverrideSettingsService } from './override-settings.service';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';
import { SigningKeyService } from './signing-key.service';

/** Runtime settings, `/api/override-settings/`, `/api/configuration/` and the token signing key. */
@Global()
@Module({
  controllers: [OverrideSettingsController, ConfigurationController],
  providers: [SettingsRepository, SettingsService, SigningKeyService, OverrideSettingsService, ConfigurationService],
  exports: [SettingsService, SigningKeyService],
})
export class SettingsModule {}
