import { Module } from '@nestjs/common';

import { StorageModule } from '../../storage/storage.module';
import { AttachmentLimitsService } from './attachment-limits.service';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { BackendsModule } from '../backends/backends.module';

@Module({
  imports: [BackendsModule, StorageModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, AttachmentLimitsService, AttachmentUploadInterceptor],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
