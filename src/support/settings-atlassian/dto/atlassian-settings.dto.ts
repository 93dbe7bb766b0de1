import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsNotEmpty, IsObject, IsString, MaxLength, MinLength, ValidateBy, ValidationArguments } from 'class-validator';

import { OptionalNotNull } from '../../../identity/shared/dto-fields';
import { BooleanFromString } from '../../common/query-params';
import { AtlassianCredentialsDto } from './atlassian-credentials.dto';

/**
 * Checks that every request type id of a type mapping is a non-blank string, as the
 * schema's `additionalProperties: {type: string, minLength: 1}` requires. The message names
 * the first issue type whose value is not.
 */
function IsRequestTypeMapping(): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    for (const [issueType, requestTypeId] of Object.entries(value)) {
      if (typeof requestTypeId !== 'string') {
        const type = requestTypeId === null ? 'null' : Array.isArray(requestTypeId) ? 'a list' : typeof requestTypeId === 'object' ? 'an object' : `a ${typeof requestTypeId}`;
        return `Not a valid string: the request type of "${issueType}" is ${type}. Send request type ids as strings, such as "5".`;
      }
      if (!requestTypeId.trim()) return `The request type of "${issueType}" may not be blank.`;
    }
    return undefined;
  };
  return ValidateBy({
    name: 'isRequestTypeMapping',
    validator: {
      validate: (value: unknown) => problem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => problem(args?.value) ?? 'Not a valid request type mapping.',
    },
  });
}

/** Body of `preview_settings`: the Atlassian settings an admin picked, as they would be saved. */
export class AtlassianSettingsPreviewDto extends AtlassianCredentialsDto {
  @ApiProperty()
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  project_id: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(255, { each: true })
  issue_types?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', minLength: 1 },
    description: 'Mapping from frontend types to backend request types',
  })
  @OptionalNotNull()
  @IsObject()
  @IsRequestTypeMapping()
  support_type_mapping?: Record<string, string>;

  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) reporter_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) impact_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) organisation_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) project_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) affected_resource_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) caller_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) template_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) sla_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) resolution_sla_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) satisfaction_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) request_feedback_field?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(255) waldur_backend_id_field?: string;

  @ApiPropertyOptional({ description: 'Default issue type for marketplace request-based orders' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  default_offering_issue_type?: string;

  @ApiPropertyOptional({ default: false })
  @OptionalNotNull()
  @BooleanFromString()
  @IsBoolean()
  use_old_api?: boolean;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @BooleanFromString()
  @IsBoolean()
  custom_field_mapping_enabled?: boolean;
}

/** Body of `save_settings`: the preview body and an explicit confirmation. */
export class AtlassianSettingsSaveDto extends AtlassianSettingsPreviewDto {
  @ApiProperty({ description: 'Must be True to confirm saving settings' })
  @IsDefined()
  @BooleanFromString()
  @IsBoolean()
  confirm_save: boolean;
}
