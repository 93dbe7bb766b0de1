import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { BooleanFromString } from '../../common/query-params';

/** Body of `POST /api/support-issues/`; hyperlinks, choices and permissions are checked by the service. */
export class IssueCreateDto {
  @ApiProperty({ description: 'Trimmed; at most as long as the backend allows (255 on the built-in desk).' })
  @IsDefined()
  @IsString()
  summary: string;

  @ApiPropertyOptional({ description: 'One of ATLASSIAN_ISSUE_TYPES or the four HomePort labels; defaults to the first configured type.' })
  @OptionalNotNull()
  @IsString()
  type?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ maxLength: 255, nullable: true, description: 'Free-form client reference, unique across issues.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(255)
  remote_id?: string | null;

  @ApiPropertyOptional({ description: 'Priority name; staff and support only.' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  priority?: string;

  @ApiPropertyOptional({ format: 'uri', nullable: true, description: 'User the issue is for; others than yourself need staff or support.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  caller?: string | null;

  @ApiPropertyOptional({ format: 'uri', nullable: true, description: 'Support user to assign; staff and support only.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  assignee?: string | null;

  @ApiPropertyOptional({ format: 'uri', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  customer?: string | null;

  @ApiPropertyOptional({ format: 'uri', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  project?: string | null;

  @ApiPropertyOptional({ format: 'uri', nullable: true, description: 'Marketplace resource URL.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  resource?: string | null;

  @ApiPropertyOptional({ default: false, description: 'True when a user files the issue through the portal; the caller is then the requester.' })
  @OptionalNotNull()
  @BooleanFromString()
  @IsBoolean()
  is_reported_manually?: boolean;

  @ApiPropertyOptional({ format: 'uri', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  template?: string | null;
}
