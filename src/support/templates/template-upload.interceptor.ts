import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

import { SettingsService } from '../../settings/settings.service';
import { FileStorage } from '../../storage/file-storage';
import { interceptUpload } from '../../storage/uploads/multipart-upload';
import { configuredMaxBytes } from '../attachments/attachment-limits.service';

/** Maximum number of files in one `create_attachments` request. */
export const MAX_TEMPLATE_FILES_PER_REQUEST = 20;

/** Receives the `attachments` files of `create_attachments`, each limited by `SUPPORT_ATTACHMENT_MAX_SIZE_MB`. */
@Injectable()
export class TemplateUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly storage: FileStorage,
    private readonly settings: SettingsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return interceptUpload(context, next, this.storage, {
      namespace: 'template-attachments',
      fileField: 'attachments',
      maxFiles: MAX_TEMPLATE_FILES_PER_REQUEST,
      maxFileBytes: configuredMaxBytes(this.settings.get('SUPPORT_ATTACHMENT_MAX_SIZE_MB')),
    });
  }
}
