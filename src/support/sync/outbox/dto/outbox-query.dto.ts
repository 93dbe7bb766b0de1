import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { OUTBOX_STATUSES, OutboxStatus } from '../outbox-entry.entity';

export class OutboxQueryDto {
  @ApiPropertyOptional({ description: 'Backend name, such as atlassian' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  backend?: string;

  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;

  @ApiPropertyOptional({ description: 'UUID of the issue the rows belong to' })
  @IsOptional()
  @IsString()
  issue_uuid?: string;

  @ApiPropertyOptional({ description: 'Ordering: created, modified, next_attempt_at, attempts; prefix - for descending' })
  @IsOptional()
  @IsString()
  o?: string;
}
