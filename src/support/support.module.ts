import { Module } from '@nestjs/common';

import { AttachmentsModule } from './attachments/attachments.module';

/** Groups the support feature modules. */
@Module({
  imports: [AttachmentsModule],
})
export class SupportModule {}
