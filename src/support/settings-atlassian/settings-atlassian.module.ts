import { Module } from '@nestjs/common';

import { AtlassianDiscoveryService } from './atlassian-discovery.service';
import { AtlassianSettingsService } from './atlassian-settings.service';
import { SettingsAtlassianMethodsService } from './settings-atlassian-methods.service';
import { SettingsAtlassianController } from './settings-atlassian.controller';

/** Jira settings discovery under `/api/support/settings/atlassian/`. */
@Module({
  controllers: [SettingsAtlassianController],
  providers: [AtlassianDiscoveryService, AtlassianSettingsService, SettingsAtlassianMethodsService],
})
export class SettingsAtlassianModule {}
