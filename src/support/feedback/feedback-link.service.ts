import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { parseUuid } from '../../common/http/uuid';
import { Issue } from '../issues/issue.entity';
import { FeedbackTokenService } from './feedback-token.service';

/** An issue named on the command line does not exist or has no feedback request. */
export class FeedbackLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedbackLinkError';
  }
}

/** Builds the feedback link of one issue, for operators who resend it by hand. */
@Injectable()
export class FeedbackLinkService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: FeedbackTokenService,
  ) {}

  async linkForIssue(rawUuid: string): Promise<string> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new FeedbackLinkError(`"${rawUuid}" is not an issue UUID; pass 32 hex digits, hyphens allowed.`);
    const issue = await this.dataSource.getRepository(Issue).findOneBy({ uuid });
    if (!issue) throw new FeedbackLinkError(`Issue ${uuid.replace(/-/g, '')} was not found.`);
    if (!issue.feedbackRequestedAt) {
      throw new FeedbackLinkError(`Issue ${uuid.replace(/-/g, '')} has no feedback request yet; it gets one when it enters a resolved status.`);
    }
    return this.tokens.linkFor(issue);
  }
}
