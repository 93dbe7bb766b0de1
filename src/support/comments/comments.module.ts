import { Module } from '@nestjs/common';

import { BackendsModule } from '../backends/backends.module';
import { IssuesModule } from '../issues/issues.module';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

@Module({
  imports: [BackendsModule, IssuesModule],
  controllers: [CommentsController],
  providers: [CommentsService],
})
export class CommentsModule {}
