import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { SUPPORT_BACKEND_TYPES, SupportBackendType } from '../settings.registry';

export class WaldurCoreConfigurationDto {
  @ApiProperty()
  SITE_NAME: string;

  @ApiProperty({ format: 'uri' })
  HOMEPORT_URL: string;

  @ApiPropertyOptional({ format: 'email', description: 'Present when set.' })
  SITE_EMAIL?: string;
}

export class WaldurSupportConfigurationDto {
  @ApiProperty()
  ENABLED: boolean;

  @ApiProperty({ enum: SUPPORT_BACKEND_TYPES })
  ACTIVE_BACKEND_TYPE: SupportBackendType;

  @ApiProperty()
  DISPLAY_REQUEST_TYPE: boolean;
}

export class SupportFeaturesDto {
  @ApiProperty({ description: 'Hide the "Change Request" issue type from users who are neither staff nor support.' })
  conceal_change_request: boolean;
}

export class FeaturesDto {
  @ApiProperty({ type: SupportFeaturesDto })
  support: SupportFeaturesDto;
}

/** Public configuration the frontend reads once at start-up. */
export class ConfigurationDto {
  @ApiProperty({ type: WaldurCoreConfigurationDto })
  WALDUR_CORE: WaldurCoreConfigurationDto;

  @ApiProperty({ type: WaldurSupportConfigurationDto })
  WALDUR_SUPPORT: WaldurSupportConfigurationDto;

  @ApiProperty({ type: FeaturesDto })
  FEATURES: FeaturesDto;
}
