import { Module } from '@nestjs/common';

import { BackendsModule } from './backends/backends.module';
import { CommentsModule } from './comments/comments.module';
import { IssuesModule } from './issues/issues.module';
import { PrioritiesModule } from './priorities/priorities.module';
import { ResourcesModule } from './resources/resources.module';
import { StatusesModule } from './statuses/statuses.module';
import { SupportUsersModule } from './support-users/support-users.module';
import { SyncModule } from './sync/sync.module';

/** Groups the support feature modules. */
@Module({
  imports: [BackendsModule, SupportUsersModule, StatusesModule, PrioritiesModule, ResourcesModule, IssuesModule, CommentsModule, SyncModule],
})
export class SupportModule {}
