import type { AuthState } from '../auth';
import type { FakeJiraCore } from '../core';
import { issueNotFound } from '../errors';
import type { IssueRecord } from '../records';
import type { UserRecord } from '../seed';
import type { WebhookDispatcher } from '../webhook-dispatcher';

/** What route modules share: the state and services of one fake. */
export interface ApiDeps {
  core: FakeJiraCore;
  auth: AuthState;
  webhooks: WebhookDispatcher;
}

/**
 * Finds an issue the caller may browse. Portal customers have no browse
 * permission on the platform API, so to them every issue is missing, as in
 * Jira.
 */
export function browsableIssue(deps: ApiDeps, user: UserRecord, idOrKey: string): IssueRecord {
  const issue = deps.core.store.findIssue(idOrKey);
  if (!issue || user.role === 'customer' || user.role === 'none') {
    throw issueNotFound();
  }
  return issue;
}
