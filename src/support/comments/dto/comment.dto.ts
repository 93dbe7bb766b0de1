import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { BooleanFromString, LastValue } from '../../common/query-params';

/** Body of the issue `comment` action, as JSON or as a multipart form (`is_public` then arrives as "true"). */
export class CommentCreateDto {
  @ApiProperty()
  @IsDefined()
  @IsString()
  description: string;

  @ApiPropertyOptional({ default: true, description: 'False for an internal comment.' })
  @OptionalNotNull()
  @BooleanFromString()
  @IsBoolean()
  is_public?: boolean;

  @ApiPropertyOptional({ maxLength: 255, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(255)
  remote_id?: string | null;
}

/** Body of `PUT /api/support-comments/{uuid}/`; `remote_id` is fixed at creation. */
export class CommentUpdateDto {
  @ApiProperty()
  @IsDefined()
  @IsString()
  description: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @BooleanFromString()
  @IsBoolean()
  is_public?: boolean;
}

export class CommentPatchDto extends PartialType(CommentUpdateDto, { skipNullProperties: false }) {}

export class CommentQueryDto {
  @ApiPropertyOptional({ description: 'Description contains.' })
  @IsOptional()
  @LastValue()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Issue URL.' })
  @IsOptional()
  @LastValue()
  @IsString()
  issue?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LastValue()
  @IsString()
  issue_uuid?: string;

  @ApiPropertyOptional({ description: 'Author name contains.' })
  @IsOptional()
  @LastValue()
  @IsString()
  author_name?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'URL of the author user.' })
  @IsOptional()
  @LastValue()
  @IsString()
  author_user?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanFromString()
  @IsBoolean()
  is_public?: boolean;

  @ApiPropertyOptional({ description: 'True: remote_id is neither null nor empty; false: it is.' })
  @IsOptional()
  @BooleanFromString()
  @IsBoolean()
  remote_id_is_set?: boolean;

  @ApiPropertyOptional({ format: 'uri', description: 'Marketplace resource URL: comments of issues about it.' })
  @IsOptional()
  @LastValue()
  @IsString()
  resource?: string;

  @ApiPropertyOptional({ description: 'Ordering: created, modified, with "-" for descending; default -created.' })
  @IsOptional()
  o?: string | string[];
}
