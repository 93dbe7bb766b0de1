import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

import { OptionalNotNull } from '../../common/optional-not-null.decorator';

/**
 * Body of `PUT /api/support-issues/{uuid}/`. Fields fixed at creation (type, caller,
 * customer, project, resource, priority, template, remote_id) are ignored, as in Waldur.
 * `status` and `resolution` apply only on a backend that lets staff drive the workflow.
 */
export class IssueUpdateDto {
  @ApiProperty()
  @IsDefined()
  @IsString()
  summary: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ format: 'uri', nullable: true, description: 'Support user URL, or null to unassign.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  assignee?: string | null;

  @ApiPropertyOptional({ description: 'Name of an issue status; built-in desk only.' })
  @OptionalNotNull()
  @IsString()
  status?: string;

  @ApiPropertyOptional({ maxLength: 255, description: 'Built-in desk only.' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  resolution?: string;
}

/** Body of `PATCH /api/support-issues/{uuid}/`: as PUT, with every field optional. */
export class IssuePatchDto extends PartialType(IssueUpdateDto, { skipNullProperties: false }) {}
