import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

import { OptionalNotNull } from '../../shared/dto-fields';

/** Body of POST and PUT `/api/projects/`. */
export class ProjectRequestDto {
  @ApiProperty({ maxLength: 500 })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  @ApiProperty({ format: 'uri', description: 'Hyperlink to the customer (a bare UUID is accepted too).' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  customer: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  backend_id?: string;
}

/** Body of PATCH `/api/projects/{uuid}/`: every field optional. */
export class PatchProjectRequestDto extends PartialType(ProjectRequestDto, { skipNullProperties: false }) {}
