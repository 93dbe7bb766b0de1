import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsEmail, IsIn, IsNotEmpty, IsString, IsUrl, MaxLength, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';

import { OptionalNotNull } from '../../../identity/shared/dto-fields';
import { baseUrlProblem } from '../../../settings/setting-definition';
import { BooleanFromString } from '../../common/query-params';

/** Checks that a URL can be a base URL (no credentials, query or fragment), with the message of the URL settings. */
function IsBaseUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isBaseUrl',
    validator: {
      // A value that is no URL at all is left to @IsUrl, so it gets one message.
      validate: (value: unknown) => typeof value !== 'string' || !URL.canParse(value.trim()) || baseUrlProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => baseUrlProblem(String(args?.value ?? '')) ?? 'Enter a valid URL.',
    },
  });
}

/** Authentication methods an admin can choose in settings discovery; OAuth tokens are set through the override settings. */
export const DISCOVERY_AUTH_METHODS = ['api_token', 'personal_access_token', 'basic'] as const;
export type DiscoveryAuthMethod = (typeof DISCOVERY_AUTH_METHODS)[number];

/**
 * Jira credentials sent to a discovery call. Secrets left out (or sent as `********`)
 * fall back to the stored ones, but only for the stored `ATLASSIAN_API_URL`, so a stored
 * secret is never sent to another server.
 */
export class AtlassianCredentialsDto {
  @ApiProperty({ format: 'uri', description: 'Atlassian API URL (e.g., https://your-domain.atlassian.net)' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @IsBaseUrl()
  api_url: string;

  @ApiProperty({ enum: DISCOVERY_AUTH_METHODS, description: 'Authentication method to use' })
  @IsDefined()
  @IsIn(DISCOVERY_AUTH_METHODS)
  auth_method: DiscoveryAuthMethod;

  @ApiPropertyOptional({ format: 'email' })
  @OptionalNotNull()
  @IsString()
  @ValidateIf((_object: object, value: unknown) => value !== '')
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ writeOnly: true })
  @OptionalNotNull()
  @IsString()
  token?: string;

  @ApiPropertyOptional({ writeOnly: true })
  @OptionalNotNull()
  @IsString()
  personal_access_token?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  username?: string;

  @ApiPropertyOptional({ writeOnly: true })
  @OptionalNotNull()
  @IsString()
  password?: string;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @BooleanFromString()
  @IsBoolean()
  verify_ssl?: boolean;
}

/** Body of `discover_request_types`: credentials and the service desk to read. */
export class DiscoverRequestTypesDto extends AtlassianCredentialsDto {
  @ApiProperty({ description: 'Service Desk project ID or key' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  project_id: string;
}

/** Body of `discover_custom_fields`: credentials, and a request type to list only its fields. */
export class DiscoverCustomFieldsDto extends AtlassianCredentialsDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  project_id?: string;

  @ApiPropertyOptional({ description: 'Optional: Filter fields by request type' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  request_type_id?: string;
}
