import { Module } from '@nestjs/common';

import { SyncModule } from './sync/sync.module';

/** Groups the support feature modules. */
@Module({
  imports: [SyncModule],
})
export class SupportModule {}
