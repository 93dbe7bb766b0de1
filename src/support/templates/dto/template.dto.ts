import { ApiProperty } from '@nestjs/swagger';

import { TEMPLATE_ISSUE_TYPES, TemplateIssueType } from '../template.entity';

export class TemplateAttachmentDto {
  @ApiProperty({ description: '32 lowercase hex characters' })
  uuid: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'uri', description: 'Signed download link; it works without authentication' })
  file: string;

  @ApiProperty()
  mime_type: string;

  @ApiProperty({ description: 'Bytes' })
  file_size: number;

  @ApiProperty({ format: 'date-time' })
  created: string;
}

export class TemplateDto {
  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ description: '32 lowercase hex characters' })
  uuid: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ enum: TEMPLATE_ISSUE_TYPES })
  issue_type: TemplateIssueType;

  @ApiProperty({ type: [TemplateAttachmentDto] })
  attachments: TemplateAttachmentDto[];
}
