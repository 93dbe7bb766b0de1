import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';

import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { LastValue } from '../../common/query-params';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class PriorityCreateDto {
  @ApiProperty({ maxLength: 150 })
  @trim()
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name: string;

  @ApiPropertyOptional({ maxLength: 4096 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4096)
  description?: string;

  @ApiPropertyOptional({ maxLength: 500, format: 'uri' })
  @OptionalNotNull()
  @IsString()
  @ValidateIf((_, value) => value !== '')
  @IsUrl(URL_OPTIONS)
  @MaxLength(500)
  icon_url?: string;
}

export class PriorityPatchDto extends PartialType(PriorityCreateDto, { skipNullProperties: false }) {}

export class PriorityQueryDto {
  @ApiPropertyOptional({ description: 'Name contains (case-insensitive).' })
  @IsOptional()
  @LastValue()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: 'Exact name.' })
  @IsOptional()
  @LastValue()
  @IsString()
  name_exact?: string;

  @ApiPropertyOptional({ description: 'Ordering: name or -name.' })
  @IsOptional()
  o?: string | string[];
}
