import { Module } from '@nestjs/common';

import { AttachmentsModule } from './attachments/attachments.module';
import { BackendsModule } from './backends/backends.module';
import { SmaxModule } from './backends/smax/smax.module';
import { CommentsModule } from './comments/comments.module';
import { FeedbackModule } from './feedback/feedback.module';
import { IssuesModule } from './issues/issues.module';
import { PrioritiesModule } from './priorities/priorities.module';
import { ReportsModule } from './reports/reports.module';
import { RequestTypesModule } from './request-types/request-types.module';
import { ResourcesModule } from './resources/resources.module';
import { SettingsAtlassianModule } from './settings-atlassian/settings-atlassian.module';
import { StatusesModule } from './statuses/statuses.module';
import { SupportUsersModule } from './support-users/support-users.module';
import { SyncModule } from './sync/sync.module';
import { TemplatesModule } from './templates/templates.module';

/** Groups the support feature modules. */
@Module({
  imports: [
    BackendsModule,
    SmaxModule,
    SupportUsersModule,
    StatusesModule,
    PrioritiesModule,
    ResourcesModule,
    IssuesModule,
    CommentsModule,
    AttachmentsModule,
    TemplatesModule,
    RequestTypesModule,
    FeedbackModule,
    ReportsModule,
    SyncModule,
    SettingsAtlassianModule,
  ],
})
export class SupportModule {}
