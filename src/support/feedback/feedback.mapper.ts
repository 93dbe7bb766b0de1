import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';
import { syncStateName } from '../common/sync-state';
import type { Issue } from '../issues/issue.entity';
import { CreatedFeedbackDto, FeedbackDto } from './dto/feedback.dto';
import type { Feedback } from './feedback.entity';

export function toCreatedFeedbackDto(feedback: Feedback, issue: Issue, urls: ApiUrls): CreatedFeedbackDto {
  return {
    uuid: formatUuid(feedback.uuid),
    issue: urls.detail('support-issues', issue.uuid),
    comment: feedback.comment,
    evaluation: feedback.evaluation,
  };
}

/** Renders a feedback loaded with its issue and the issue's caller. */
export function toFeedbackDto(feedback: Feedback): FeedbackDto {
  const issue = feedback.issue;
  return {
    uuid: formatUuid(feedback.uuid),
    created: feedback.created.toISOString(),
    modified: feedback.modified.toISOString(),
    state: syncStateName(feedback.state),
    evaluation: feedback.evaluation,
    comment: feedback.comment,
    issue_uuid: formatUuid(issue.uuid),
    user_full_name: issue.caller?.fullName ?? '',
    issue_key: issue.key,
    issue_summary: issue.summary,
  };
}
