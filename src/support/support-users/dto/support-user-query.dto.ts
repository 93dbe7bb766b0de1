import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

import { LastValue } from '../../common/query-params';

export class SupportUserQueryDto {
  @ApiPropertyOptional({ description: 'Name contains (case-insensitive).' })
  @IsOptional()
  @LastValue()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: 'The linked user: numeric id, UUID or user URL.' })
  @IsOptional()
  @LastValue()
  @IsString()
  user?: string;

  @ApiPropertyOptional({ description: 'Exact backend id.' })
  @IsOptional()
  @LastValue()
  @IsString()
  backend_id?: string;
}
