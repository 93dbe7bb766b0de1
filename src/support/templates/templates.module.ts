import { Module } from '@nestjs/common';

import { StorageModule } from '../../storage/storage.module';
import { TemplateAttachmentsController } from './template-attachments.controller';
import { TemplateUploadInterceptor } from './template-upload.interceptor';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  imports: [StorageModule],
  controllers: [TemplatesController, TemplateAttachmentsController],
  providers: [TemplatesService, TemplateUploadInterceptor],
})
export class TemplatesModule {}
