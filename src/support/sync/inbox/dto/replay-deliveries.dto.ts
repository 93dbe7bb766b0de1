import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReplayDeliveriesDto {
  @ApiPropertyOptional({ description: 'Replay only deliveries of this source' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  source?: string;

  @ApiProperty({ description: 'Replay deliveries received at or after this time (ISO 8601)' })
  @IsDefined()
  @IsISO8601()
  received_after: string;

  @ApiProperty({ description: 'Replay deliveries received before this time (ISO 8601)' })
  @IsDefined()
  @IsISO8601()
  received_before: string;
}
