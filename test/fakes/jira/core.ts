import { Clock } from './clock';
import { issueNotFound, platformError } from './errors';
import type { FakeJiraSettings } from './options';
import type { AttachmentRecord, ChangeHistory, ChangeItem, CommentRecord, IssueLinkRecord, IssueRecord } from './records';
import type { UserRecord } from './seed';
import type { FakeJiraStore } from './store';
import { ViewContext } from './view-context';

/** Flow of a webhook delivery: `Primary` for the change itself, `Secondary` for its side effects. */
export type WebhookFlow = 'Primary' | 'Secondary';

/**
 * A change made through the API. Listeners run synchronously inside the
 * operation, so they see the state right after the change (or, for deletions,
 * right before the records disappear) and can snapshot it.
 */
export type ChangeEvent =
  | { kind: 'issue_created'; issue: IssueRecord; actor: UserRecord; changelog: ChangeHistory | null }
  | {
      kind: 'issue_updated';
      issue: IssueRecord;
      actor: UserRecord;
      eventTypeName: string;
      changelog: ChangeHistory | null;
      comment?: CommentRecord;
    }
  | { kind: 'issue_deleted'; issue: IssueRecord; actor: UserRecord }
  | {
      kind: 'comment_created' | 'comment_updated' | 'comment_deleted';
      issue: IssueRecord;
      comment: CommentRecord;
      actor: UserRecord;
      flow: WebhookFlow;
    }
  | {
      kind: 'attachment_created' | 'attachment_deleted';
      issue: IssueRecord;
      attachment: AttachmentRecord;
      actor: UserRecord;
      flow: WebhookFlow;
    }
  | { kind: 'issuelink_created' | 'issuelink_deleted'; link: IssueLinkRecord; actor: UserRecord };

export type ChangeListener = (event: ChangeEvent) => void;

/** State, settings, clock and change listeners of one fake, shared by every route and by the control API. */
export class FakeJiraCore {
  readonly clock: Clock;
  private readonly listeners: ChangeListener[] = [];
  /** Base URL of `self` links in webhook payloads, set once the server listens. */
  publicBaseUrl = 'http://127.0.0.1';

  constructor(
    readonly store: FakeJiraStore,
    readonly settings: FakeJiraSettings,
    now?: () => number,
  ) {
    this.clock = new Clock(now);
  }

  now(): number {
    return this.clock.now();
  }

  view(baseUrl: string = this.publicBaseUrl): ViewContext {
    return new ViewContext(this.store, this.settings, this.clock, baseUrl);
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }

  /** Marks an issue as changed now and queues its new state for search. */
  touch(issue: IssueRecord): void {
    issue.updated = this.now();
    this.reindex(issue.id);
  }

  reindex(issueId: string): void {
    this.store.indexIssue(issueId, this.now(), this.settings.searchVisibilityDelayMs);
  }

  /** Appends a changelog entry to the issue and returns it, or returns null when there are no items. */
  recordHistory(issue: IssueRecord, actor: UserRecord, items: ChangeItem[]): ChangeHistory | null {
    if (items.length === 0) {
      return null;
    }
    const history: ChangeHistory = { id: this.store.changelogIds.take(), authorId: actor.accountId, created: this.now(), items };
    issue.changelog.push(history);
    return history;
  }

  /** Builds a changelog that is sent with an event but not stored, as for issue creation. */
  transientHistory(actor: UserRecord, items: ChangeItem[]): ChangeHistory | null {
    if (items.length === 0) {
      return null;
    }
    return { id: this.store.changelogIds.take(), authorId: actor.accountId, created: this.now(), items };
  }

  /** Finds an issue or throws Jira's 404. */
  issueOrThrow(idOrKey: string): IssueRecord {
    const issue = this.store.findIssue(idOrKey);
    if (!issue) {
      throw issueNotFound();
    }
    return issue;
  }

  /** Resolves a user reference (accountId, name, key or e-mail) as the control API accepts it. */
  userOrThrow(reference: string): UserRecord {
    const user = this.store.findUser(reference);
    if (!user) {
      throw platformError(404, [`The user '${reference}' does not exist.`]);
    }
    return user;
  }
}
