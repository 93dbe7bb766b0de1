import { Module } from '@nestjs/common';

import { BackendsModule } from '../backends/backends.module';
import { PrioritiesModule } from '../priorities/priorities.module';
import { ResourcesModule } from '../resources/resources.module';
import { StatusesModule } from '../statuses/statuses.module';
import { SupportUsersModule } from '../support-users/support-users.module';
import { IssueAccessService } from './issue-access.service';
import { IssueCommentsService } from './issue-comments.service';
import { IssueCreationService } from './issue-creation.service';
import { IssueRepresentationService } from './issue-representation.service';
import { IssueUpdateService } from './issue-update.service';
import { IssuesController } from './issues.controller';
import { IssuesRepository } from './issues.repository';
import { IssuesService } from './issues.service';

@Module({
  imports: [BackendsModule, StatusesModule, PrioritiesModule, ResourcesModule, SupportUsersModule],
  controllers: [IssuesController],
  providers: [
    IssueAccessService,
    IssuesRepository,
    IssueRepresentationService,
    IssuesService,
    IssueCreationService,
    IssueUpdateService,
    IssueCommentsService,
  ],
  exports: [IssueAccessService, IssuesRepository],
})
export class IssuesModule {}
