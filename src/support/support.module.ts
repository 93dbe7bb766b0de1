import { Module } from '@nestjs/common';

import { AttachmentsModule } from './attachments/attachments.module';
import { FeedbackModule } from './feedback/feedback.module';
import { RequestTypesModule } from './request-types/request-types.module';
import { TemplatesModule } from './templates/templates.module';

/** Groups the support feature modules. */
@Module({
  imports: [AttachmentsModule, FeedbackModule, RequestTypesModule, TemplatesModule],
})
export class SupportModule {}
