import { Injectable } from '@nestjs/common';

import { SigningKeyService } from '../../settings/signing-key.service';
import { SettingsService } from '../../settings/settings.service';
import type { Issue } from '../issues/issue.entity';
import { createFeedbackToken, verifyFeedbackToken } from './feedback-token';

const DEFAULT_TOKEN_PERIOD_DAYS = 7;

/** An issue has no feedback request yet, so it has no feedback link. */
export class FeedbackNotRequestedError extends Error {
  constructor(readonly issueUuid: string) {
    super(`Issue ${issueUuid.replace(/-/g, '')} has no feedback request yet; it gets one when it enters a resolved status.`);
    this.name = 'FeedbackNotRequestedError';
  }
}

/** Issues and checks feedback tokens with the server secret and `ISSUE_FEEDBACK_TOKEN_PERIOD`. */
@Injectable()
export class FeedbackTokenService {
  constructor(
    private readonly signingKeys: SigningKeyService,
    private readonly settings: SettingsService,
  ) {}

  /** Returns the token for an issue's feedback request, dated when the request was made. */
  tokenFor(issue: Issue): string {
    if (!issue.feedbackRequestedAt) throw new FeedbackNotRequestedError(issue.uuid);
    return createFeedbackToken(this.signingKeys.currentKey(), issue.uuid, issue.feedbackRequestedAt);
  }

  /** Returns the HomePort page that submits feedback: `<HOMEPORT_URL>support/feedback/?token=<token>`. */
  linkFor(issue: Issue): string {
    const homeport = String(this.settings.get('HOMEPORT_URL') ?? '');
    const base = homeport.endsWith('/') ? homeport : `${homeport}/`;
    return `${base}support/feedback/?token=${encodeURIComponent(this.tokenFor(issue))}`;
  }

  /** Returns the issue UUID a token names; throws `FeedbackTokenError` for a forged or expired token. */
  verify(token: string): string {
    return verifyFeedbackToken(this.signingKeys.currentKey(), token, this.periodDays());
  }

  /** `ISSUE_FEEDBACK_TOKEN_PERIOD` in days; a missing or invalid value means 7. */
  periodDays(): number {
    const days = Number(this.settings.get('ISSUE_FEEDBACK_TOKEN_PERIOD'));
    return Number.isFinite(days) && days > 0 ? days : DEFAULT_TOKEN_PERIOD_DAYS;
  }
}
