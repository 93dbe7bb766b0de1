import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString } from 'class-validator';

/** Multipart body of `create_attachments`; the files are read by the upload interceptor. */
export class TemplateAttachmentsUploadDto {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'Files to attach; repeat the field' })
  attachments: unknown[];
}

/** Body of `delete_attachments`: UUIDs of the template's attachments to delete. */
export class TemplateAttachmentsDeleteDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  attachment_ids?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Accepted in place of attachment_ids' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  attachment_uuids?: string[];
}
