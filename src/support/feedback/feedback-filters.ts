import { SelectQueryBuilder } from 'typeorm';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { uuidFromHyperlink } from '../../common/http/api-urls';
import { parseUuid } from '../../common/http/uuid';
import { FeedbackListQueryDto } from './dto/feedback-list-query.dto';
import { MAX_EVALUATION, MIN_EVALUATION } from './dto/feedback-create.dto';
import type { Feedback } from './feedback.entity';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Applies the list filters to a query with the aliases `feedback`, `issue` and `caller`.
 * Dates without a time are whole UTC days: `created_after=2025-03-01` starts at midnight
 * and `created_before=2025-03-31` includes all of March 31, which Waldur 7.0.7 excluded.
 */
export function applyFeedbackFilters(query: SelectQueryBuilder<Feedback>, filters: FeedbackListQueryDto): void {
  if (filters.issue !== undefined) {
    query.andWhere('issue.uuid = :filterIssue', { filterIssue: hyperlinkUuid(filters.issue, 'support-issues', 'issue') });
  }
  if (filters.issue_uuid !== undefined) {
    query.andWhere('issue.uuid = :filterIssueUuid', { filterIssueUuid: plainUuid(filters.issue_uuid, 'issue_uuid') });
  }
  if (filters.user !== undefined) {
    query.andWhere('caller.uuid = :filterUser', { filterUser: hyperlinkUuid(filters.user, 'users', 'user') });
  }
  if (filters.user_uuid !== undefined) {
    query.andWhere('caller.uuid = :filterUserUuid', { filterUserUuid: plainUuid(filters.user_uuid, 'user_uuid') });
  }
  if (filters.created_after !== undefined) {
    query.andWhere('feedback.created >= :createdAfter', { createdAfter: parseDate(filters.created_after, 'created_after') });
  }
  if (filters.created_before !== undefined) {
    const raw = filters.created_before.trim();
    const date = parseDate(raw, 'created_before');
    if (DATE_ONLY.test(raw)) query.andWhere('feedback.created < :createdBefore', { createdBefore: new Date(date.getTime() + DAY_MS) });
    else query.andWhere('feedback.created <= :createdBefore', { createdBefore: date });
  }
  if (filters.evaluation !== undefined) {
    query.andWhere('feedback.evaluation IN (:...evaluations)', { evaluations: parseEvaluations(filters.evaluation) });
  }
  if (filters.issue_key !== undefined) {
    query.andWhere('issue.key = :issueKey', { issueKey: filters.issue_key });
  }
  if (filters.user_full_name !== undefined) {
    query.andWhere('caller.fullName ILIKE :userFullName', { userFullName: contains(filters.user_full_name) });
  }
  if (filters.query !== undefined) {
    query.andWhere('(issue.key ILIKE :search OR issue.summary ILIKE :search OR caller.fullName ILIKE :search)', { search: contains(filters.query) });
  }
}

/**
 * Reads evaluations from repeated `evaluation` parameters. HomePort sends option labels
 * such as "10 - Very positive", so each value counts by its leading integer.
 */
export function parseEvaluations(raw: string | string[]): number[] {
  const values = Array.isArray(raw) ? raw : [raw];
  return values.map((value) => {
    const match = /^\s*(\d+)/.exec(value);
    const evaluation = match ? Number(match[1]) : NaN;
    if (!(evaluation >= MIN_EVALUATION && evaluation <= MAX_EVALUATION)) {
      throw ValidationFailedException.field('evaluation', `Select a valid choice. "${value}" is not one of the available choices ${MIN_EVALUATION} to ${MAX_EVALUATION}.`);
    }
    return evaluation;
  });
}

function parseDate(raw: string, field: string): Date {
  const value = raw.trim();
  const date = DATE_ONLY.test(value) ? new Date(`${value}T00:00:00Z`) : DATE_TIME.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw ValidationFailedException.field(field, `Enter a valid date or date/time, such as 2025-03-31 or 2025-03-31T12:00:00Z; got "${raw}".`);
  }
  return date;
}

function hyperlinkUuid(value: string, collection: string, field: string): string {
  const uuid = uuidFromHyperlink(value, collection);
  if (!uuid) throw ValidationFailedException.field(field, 'Invalid hyperlink - No URL match.');
  return uuid;
}

function plainUuid(value: string, field: string): string {
  const uuid = parseUuid(value);
  if (!uuid) throw ValidationFailedException.field(field, 'Enter a valid UUID.');
  return uuid;
}

function contains(value: string): string {
  return `%${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
