import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

import { FileStorage } from '../../storage/file-storage';
import { interceptUpload } from '../../storage/uploads/multipart-upload';
import { AttachmentLimitsService } from './attachment-limits.service';

/** Receives the single `file` of an attachment upload under the current size and extension rules. */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly storage: FileStorage,
    private readonly limits: AttachmentLimitsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return interceptUpload(context, next, this.storage, {
      namespace: 'issue-attachments',
      fileField: 'file',
      maxFiles: 1,
      maxFileBytes: this.limits.maxFileBytes(),
      checkFileName: (fileName) => this.limits.checkFileName(fileName),
    });
  }
}
