import { ApiProperty } from '@nestjs/swagger';

import { SyncState } from '../../common/sync-state';

/** Response of `POST /api/support-feedbacks/`. */
export class CreatedFeedbackDto {
  @ApiProperty({ description: '32 lowercase hex characters' })
  uuid: string;

  @ApiProperty({ format: 'uri' })
  issue: string;

  @ApiProperty()
  comment: string;

  @ApiProperty()
  evaluation: number;
}

/** A feedback as staff and support read it. */
export class FeedbackDto {
  @ApiProperty({ description: '32 lowercase hex characters' })
  uuid: string;

  @ApiProperty({ format: 'date-time' })
  created: string;

  @ApiProperty({ format: 'date-time' })
  modified: string;

  @ApiProperty({ enum: Object.keys(SyncState).filter((key) => Number.isNaN(Number(key))) })
  state: string;

  @ApiProperty()
  evaluation: number;

  @ApiProperty()
  comment: string;

  @ApiProperty()
  issue_uuid: string;

  @ApiProperty({ description: "Full name of the issue's caller; empty when the issue has none" })
  user_full_name: string;

  @ApiProperty()
  issue_key: string;

  @ApiProperty()
  issue_summary: string;
}
