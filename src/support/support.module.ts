import { Module } from '@nestjs/common';

import { AttachmentsModule } from './attachments/attachments.module';
import { TemplatesModule } from './templates/templates.module';

/** Groups the support feature modules. */
@Module({
  imports: [AttachmentsModule, TemplatesModule],
})
export class SupportModule {}
