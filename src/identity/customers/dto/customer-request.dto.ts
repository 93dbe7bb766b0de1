import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsDefined, IsEmail, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';

import { OptionalNotNull } from '../../shared/dto-fields';

/** Body of POST and PUT `/api/customers/`. */
export class CustomerRequestDto {
  @ApiProperty({ maxLength: 150 })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name: string;

  @ApiPropertyOptional({ maxLength: 12 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(12)
  abbreviation?: string;

  @ApiPropertyOptional({ maxLength: 160 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(160)
  native_name?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 75 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(75)
  @ValidateIf((_object: object, value: unknown) => value !== '')
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ maxLength: 4096 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(4096)
  description?: string;

  @ApiPropertyOptional({ maxLength: 255, description: 'Organization identifier in another application.' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(255)
  backend_id?: string;
}

/** Body of PATCH `/api/customers/{uuid}/`: every field optional. */
export class PatchCustomerRequestDto extends PartialType(CustomerRequestDto, { skipNullProperties: false }) {}
