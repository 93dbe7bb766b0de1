import { Module } from '@nestjs/common';

import { IssueStatusesController } from './issue-statuses.controller';
import { IssueStatusesService } from './issue-statuses.service';

@Module({
  controllers: [IssueStatusesController],
  providers: [IssueStatusesService],
  exports: [IssueStatusesService],
})
export class StatusesModule {}
