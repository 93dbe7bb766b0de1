import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/**
 * Body of `PATCH /api/support-issues/{uuid}/`. Fields fixed at creation (type, caller,
 * customer, project, resource, priority, template, remote_id) are ignored, as in Waldur.
 * `status` and `resolution` apply only on a backend that lets staff drive the workflow.
 */
export class IssuePatchDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  summary?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ format: 'uri', nullable: true, description: 'Support user URL, or null to unassign.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  assignee?: string | null;

  @ApiPropertyOptional({ description: 'Name of an issue status; built-in desk only.' })
  @IsOptional()
  @IsString()
  status?: string;

  @ApiPropertyOptional({ maxLength: 255, description: 'Built-in desk only.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  resolution?: string;
}

/** Body of `PUT /api/support-issues/{uuid}/`: as PATCH, but `summary` is required. */
export class IssueUpdateDto {
  @ApiProperty()
  @IsDefined()
  @IsString()
  summary: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ format: 'uri', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  assignee?: string | null;

  @ApiPropertyOptional({ description: 'Name of an issue status; built-in desk only.' })
  @IsOptional()
  @IsString()
  status?: string;

  @ApiPropertyOptional({ maxLength: 255, description: 'Built-in desk only.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  resolution?: string;
}
