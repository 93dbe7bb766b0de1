import { ApiProperty } from '@nestjs/swagger';

export class SupportStatsDto {
  @ApiProperty({ description: 'Visible issues whose status is not of a resolved or canceled type' })
  open_issues_count: number;

  @ApiProperty({ description: 'Visible issues in a resolved or canceled status whose resolution date is in the current UTC month' })
  closed_this_month_count: number;

  @ApiProperty({ description: 'Always 0: this service sends no broadcasts' })
  recent_broadcasts_count: number;
}
