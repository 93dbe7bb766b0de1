import { Module } from '@nestjs/common';

import { AttachmentsModule } from './attachments/attachments.module';
import { FeedbackModule } from './feedback/feedback.module';
import { ReportsModule } from './reports/reports.module';
import { RequestTypesModule } from './request-types/request-types.module';
import { TemplatesModule } from './templates/templates.module';

/** Groups the support feature modules. */
@Module({
  imports: [AttachmentsModule, FeedbackModule, ReportsModule, RequestTypesModule, TemplatesModule],
})
export class SupportModule {}
