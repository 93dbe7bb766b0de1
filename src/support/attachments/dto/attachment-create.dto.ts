import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString } from 'class-validator';

/** The text fields of `POST /api/support-attachments/`; the file itself arrives as `file`. */
export class AttachmentCreateDto {
  @ApiProperty({ format: 'uri', description: 'Hyperlink of the issue' })
  @IsDefined()
  @IsString()
  issue: string;
}

/** The multipart body as documented; `file` is read by the upload interceptor, not by validation. */
export class AttachmentCreateMultipartDto extends AttachmentCreateDto {
  @ApiProperty({ type: 'string', format: 'binary' })
  file: unknown;
}
