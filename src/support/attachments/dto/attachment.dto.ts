import { ApiProperty } from '@nestjs/swagger';

/** An issue attachment as the API returns it. */
export class AttachmentDto {
  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ description: '32 lowercase hex characters' })
  uuid: string;

  @ApiProperty({ format: 'uri' })
  issue: string;

  @ApiProperty()
  issue_key: string;

  @ApiProperty({ format: 'date-time' })
  created: string;

  @ApiProperty({ format: 'uri', nullable: true, type: String, description: 'Download link; it takes the same Token authentication as the API' })
  file: string | null;

  @ApiProperty()
  mime_type: string;

  @ApiProperty({ description: 'Bytes' })
  file_size: number;

  @ApiProperty()
  file_name: string;

  @ApiProperty()
  backend_id: string;

  @ApiProperty()
  destroy_is_available: boolean;
}
