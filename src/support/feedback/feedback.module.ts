import { Module } from '@nestjs/common';

import { FeedbackLinkService } from './feedback-link.service';
import { FeedbackTokenService } from './feedback-token.service';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { BackendsModule } from '../backends/backends.module';

@Module({
  imports: [BackendsModule],
  controllers: [FeedbackController],
  providers: [FeedbackService, FeedbackTokenService, FeedbackLinkService],
  exports: [FeedbackTokenService, FeedbackLinkService],
})
export class FeedbackModule {}
