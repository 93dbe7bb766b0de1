import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';

import { parseUuid } from '../../../common/http/uuid';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Largest value of a PostgreSQL integer column. */
export const MAX_ORDER = 2147483647;

/** Body of `POST` and `PUT /api/support-request-types-admin/`. */
export class RequestTypeWriteDto {
  @ApiProperty({ maxLength: 150 })
  @Transform(trim)
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name: string;

  @ApiProperty({ maxLength: 255 })
  @Transform(trim)
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  issue_type_name: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_ORDER, description: 'Defaults to one past the highest order in use' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ORDER)
  order?: number;
}

/** Body of `PATCH /api/support-request-types-admin/{uuid}/`. */
export class RequestTypePatchDto extends PartialType(RequestTypeWriteDto) {}

/** One entry of the `reorder` body. */
export class RequestTypeOrderDto {
  @ApiProperty({ description: 'UUID of the request type' })
  @IsDefined()
  @IsString()
  @ValidateBy({ name: 'isApiUuid', validator: { validate: (value) => parseUuid(value) !== undefined, defaultMessage: () => 'Must be a valid UUID.' } })
  uuid: string;

  @ApiProperty({ minimum: 0, maximum: MAX_ORDER })
  @IsDefined()
  @IsInt()
  @Min(0)
  @Max(MAX_ORDER)
  order: number;
}

/** Wraps the bare `reorder` array so that class-validator can check each entry. */
export class RequestTypeReorderDto {
  @ValidateNested({ each: true })
  @Type(() => RequestTypeOrderDto)
  items: RequestTypeOrderDto[];
}
