import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsDefined, IsIP, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { LastValue } from '../../common/query-params';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const IP_MESSAGE = { each: true, message: 'Enter a valid IPv4 or IPv6 address.' };

export class ResourceCreateDto {
  @ApiProperty({ maxLength: 150 })
  @trim()
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Type label shown on issues; defaults to "Marketplace.Resource".' })
  @OptionalNotNull()
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  resource_type?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  backend_id?: string;

  @ApiProperty({ format: 'uri', description: 'URL of the project the resource belongs to.' })
  @IsDefined()
  @IsString()
  project: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @IsIP(undefined, IP_MESSAGE)
  internal_ips?: string[];

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @IsIP(undefined, IP_MESSAGE)
  external_ips?: string[];
}

export class ResourcePatchDto extends PartialType(ResourceCreateDto, { skipNullProperties: false }) {}

export class ResourceQueryDto {
  @ApiPropertyOptional({ description: 'Name contains (case-insensitive).' })
  @IsOptional()
  @LastValue()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LastValue()
  @IsString()
  project_uuid?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LastValue()
  @IsString()
  customer_uuid?: string;

  @ApiPropertyOptional({ description: 'Ordering: name, created, with "-" for descending; default -created.' })
  @IsOptional()
  o?: string | string[];
}
