import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

import { ATTACHMENT_FIELDS } from '../attachment.mapper';

export class AttachmentFieldQueryDto {
  @ApiPropertyOptional({ isArray: true, enum: ATTACHMENT_FIELDS, description: 'Return only these fields; repeat the parameter' })
  @IsOptional()
  @IsString({ each: true })
  field?: string | string[];
}

export class AttachmentListQueryDto extends AttachmentFieldQueryDto {
  @ApiPropertyOptional({ format: 'uri', description: 'Hyperlink of the issue' })
  @IsOptional()
  @IsString()
  issue?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  issue_uuid?: string;
}
