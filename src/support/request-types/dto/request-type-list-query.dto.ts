import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString } from 'class-validator';

const TRUE_VALUES = ['true', '1', 'yes', 'on'];
const FALSE_VALUES = ['false', '0', 'no', 'off'];

/** Reads `true`/`false` (and 1/0, yes/no, on/off) from a query string, leaving other values for validation to reject. */
function queryBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (TRUE_VALUES.includes(normalized)) return true;
  if (FALSE_VALUES.includes(normalized)) return false;
  return value;
}

export class RequestTypeAdminListQueryDto {
  @ApiPropertyOptional()
  @Transform(queryBoolean)
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ description: 'Name contains, ignoring case' })
  @IsOptional()
  @IsString()
  name?: string;
}
