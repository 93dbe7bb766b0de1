import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

import { INBOX_STATUSES, InboxStatus } from '../inbox-entry.entity';

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ description: 'Backend the deliveries came from, such as atlassian' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  source?: string;

  @ApiPropertyOptional({ enum: INBOX_STATUSES })
  @IsOptional()
  @IsIn(INBOX_STATUSES)
  status?: InboxStatus;

  @ApiPropertyOptional({ description: 'Received at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  received_after?: string;

  @ApiPropertyOptional({ description: 'Received before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  received_before?: string;

  @ApiPropertyOptional({ description: 'Ordering: received_at, attempts; prefix - for descending' })
  @IsOptional()
  @IsString()
  o?: string;
}
