/**
 * Test controls of the fake, used directly by tests and through `/__fake/`.
 * Agent actions run through the same operations as the REST API, so they
 * change search results and fire webhooks exactly as a real agent's edits do.
 */
import { addAttachments, attachmentOrThrow } from './attachment-operations';
import type { AuthState } from './auth';
import { addComment, commentOrThrow, deleteComment, updateComment } from './comment-operations';
import type { FakeJiraCore } from './core';
import { platformError } from './errors';
import type { FaultInjector, RouteFaultInput } from './faults';
import { createIssue, deleteIssue, editIssue, transitionIssue, availableTransitions } from './issue-operations';
import { parseFieldSelection, renderIssue } from './issue-view';
import { SEED_OPTIONS, type FakeJiraOptions, type FakeJiraSettings } from './options';
import type { AttachmentRecord, CommentRecord, IssueRecord, WebhookRecord } from './records';
import type { LoggedRequest, RequestLog } from './request-log';
import { AGENT_EMAIL, type UserRecord } from './seed';
import type { Delivery, WebhookDispatcher, WebhookFaultInput } from './webhook-dispatcher';
import { DEFAULT_WEBHOOK_EVENTS, FILTER_KEY, registerWebhook } from './webhook-registry';

/** Who acts: an accountId, user name, key or e-mail. The default is the seeded agent. */
export interface ActorOption {
  as?: string;
}

export interface AgentCommentInput extends ActorOption {
  issue: string;
  body: string;
  /** True makes the comment internal (`sd.public.comment` `{internal: true}`). */
  internal?: boolean;
}

export interface AgentTransitionInput extends ActorOption {
  issue: string;
  /** Transition id or name, or the name of the target status. */
  transition: string;
  /** Resolution name for transitions with a resolution screen. The default is "Done". */
  resolution?: string;
  comment?: string;
}

export interface AgentAssignInput extends ActorOption {
  issue: string;
  /** accountId, name, key or e-mail of the assignee. Null unassigns. */
  assignee: string | null;
}

export interface AgentAttachInput extends ActorOption {
  issue: string;
  filename: string;
  content: string | Buffer;
  mimeType?: string;
}

export interface AgentEditInput extends ActorOption {
  issue: string;
  /** Field values keyed by field id or custom field name, in REST write shape. */
  fields?: Record<string, unknown>;
  update?: Record<string, unknown>;
}

export interface AgentCommentEditInput extends ActorOption {
  issue: string;
  commentId: string;
  body: string;
}

export interface WebhookTargetInput {
  url: string;
  secret?: string | null;
  events?: string[];
  name?: string;
  /** JQL that issues must match, as in `filters["issue-related-events-section"]`. */
  jql?: string;
  excludeBody?: boolean;
}

/** Settings `configure` may change at run time. */
export type RuntimeSettings = Omit<FakeJiraOptions, 'port' | 'host' | 'baseUrl' | 'now' | (typeof SEED_OPTIONS)[number]>;

export class FakeJiraControl {
  constructor(
    private readonly core: FakeJiraCore,
    private readonly auth: AuthState,
    private readonly faultInjector: FaultInjector,
    private readonly webhooks: WebhookDispatcher,
    private readonly log: RequestLog,
  ) {}

  /** Clears every issue, webhook, fault, log entry and delivery. Settings and the clock stay. */
  reset(): void {
    this.core.store.reset();
    this.auth.reset();
    this.faultInjector.clear();
    this.webhooks.reset();
    this.log.clear();
  }

  get settings(): Readonly<FakeJiraSettings> {
    return this.core.settings;
  }

  configure(changes: RuntimeSettings): Readonly<FakeJiraSettings> {
    for (const key of Object.keys(changes)) {
      if (!(key in this.core.settings) || (SEED_OPTIONS as readonly string[]).includes(key)) {
        throw platformError(400, [`The setting '${key}' cannot be changed at run time.`]);
      }
    }
    Object.assign(this.core.settings, changes);
    return this.core.settings;
  }

  /** Pins the clock at `now` (epoch ms or ISO text), moves it by `advanceMs`, or frees it when `now` is null. */
  setClock(input: { now?: number | string | null; advanceMs?: number }): number {
    if (typeof input.now === 'string') {
      const parsed = Date.parse(input.now);
      if (Number.isNaN(parsed)) {
        throw platformError(400, [`Invalid clock time '${input.now}': use epoch milliseconds or an ISO 8601 date.`]);
      }
      this.core.clock.set(parsed);
    } else if (input.now !== undefined) {
      this.core.clock.set(input.now);
    }
    if (input.advanceMs !== undefined) {
      this.core.clock.advance(input.advanceMs);
    }
    return this.core.now();
  }

  setSearchVisibilityDelay(ms: number): void {
    this.core.settings.searchVisibilityDelayMs = ms;
  }

  setCaptcha(required: boolean): void {
    this.auth.captchaRequired = required;
    this.auth.failedLogins.clear();
  }

  expireOAuthTokens(): void {
    this.auth.expireAccessTokens();
  }

  // Webhooks

  registerWebhook(input: WebhookTargetInput): WebhookRecord {
    const admin = [...this.core.store.users.values()].find((user) => user.role === 'admin');
    if (!admin) {
      throw new Error('The seed data has no administrator.');
    }
    return registerWebhook(this.core, admin, {
      name: input.name ?? 'deskbridge-test',
      url: input.url,
      events: input.events ?? DEFAULT_WEBHOOK_EVENTS,
      filters: input.jql ? { [FILTER_KEY]: input.jql } : undefined,
      excludeBody: input.excludeBody,
      secret: input.secret ?? null,
    });
  }

  webhookRegistrations(): WebhookRecord[] {
    return [...this.core.store.webhooks.values()];
  }

  removeWebhook(id: string): void {
    this.core.store.webhooks.delete(id);
  }

  deliveries(): Delivery[] {
    return [...this.webhooks.deliveries];
  }

  clearDeliveries(): void {
    this.webhooks.clearHistory();
  }

  /** Resolves once no delivery is scheduled or in flight. Held deliveries are not waited for. */
  whenWebhooksIdle(): Promise<void> {
    return this.webhooks.whenIdle();
  }

  addWebhookFault(input: WebhookFaultInput): void {
    this.webhooks.addFault(input);
  }

  clearWebhookFaults(): void {
    this.webhooks.clearFaults();
  }

  webhookFaults(): WebhookFaultInput[] {
    return this.webhooks.listFaults();
  }

  holdWebhooks(): void {
    this.webhooks.hold();
  }

  releaseWebhooks(order: 'fifo' | 'reverse' = 'fifo'): Promise<void> {
    return this.webhooks.release(order);
  }

  // Route faults and the request log

  addFault(input: RouteFaultInput): number {
    return this.faultInjector.add(input);
  }

  faults(): RouteFaultInput[] {
    return this.faultInjector.list();
  }

  removeFault(id: number): void {
    this.faultInjector.remove(id);
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  requests(): LoggedRequest[] {
    return this.log.list();
  }

  clearRequests(): void {
    this.log.clear();
  }

  // Stored state

  issueRecords(): IssueRecord[] {
    return [...this.core.store.issues.values()];
  }

  issueRecord(idOrKey: string): IssueRecord | undefined {
    return this.core.store.findIssue(idOrKey);
  }

  /** Renders an issue as `GET /rest/api/2/issue/{key}` would, with all fields. */
  renderedIssue(idOrKey: string): Record<string, unknown> {
    return renderIssue(this.core.view(), this.core.issueOrThrow(idOrKey), { selection: parseFieldSelection(undefined, '*all') });
  }

  commentRecords(issueIdOrKey?: string): CommentRecord[] {
    if (issueIdOrKey === undefined) {
      return [...this.core.store.comments.values()];
    }
    return this.core.store.issueComments(this.core.issueOrThrow(issueIdOrKey).id);
  }

  attachmentRecords(issueIdOrKey?: string): AttachmentRecord[] {
    if (issueIdOrKey === undefined) {
      return [...this.core.store.attachments.values()];
    }
    return this.core.store.issueAttachments(this.core.issueOrThrow(issueIdOrKey).id);
  }

  attachmentRecord(id: string): AttachmentRecord {
    return attachmentOrThrow(this.core, id);
  }

  users(): UserRecord[] {
    return [...this.core.store.users.values()];
  }

  // Agent actions

  private actor(option: ActorOption): UserRecord {
    return this.core.userOrThrow(option.as ?? AGENT_EMAIL);
  }

  private fieldIdsByName(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!fields) {
      return undefined;
    }
    return Object.fromEntries(Object.entries(fields).map(([key, value]) => [this.core.store.catalog.resolve(key)?.id ?? key, value]));
  }

  createIssue(input: ActorOption & { fields: Record<string, unknown> }): IssueRecord {
    return createIssue(this.core, this.actor(input), { fields: this.fieldIdsByName(input.fields) });
  }

  comment(input: AgentCommentInput): CommentRecord {
    return addComment(this.core, this.actor(input), this.core.issueOrThrow(input.issue), {
      body: input.body,
      properties: [{ key: 'sd.public.comment', value: { internal: input.internal === true } }],
    });
  }

  editComment(input: AgentCommentEditInput): CommentRecord {
    const issue = this.core.issueOrThrow(input.issue);
    return updateComment(this.core, this.actor(input), issue, commentOrThrow(this.core, issue, input.commentId), { body: input.body });
  }

  deleteComment(input: ActorOption & { issue: string; commentId: string }): void {
    const issue = this.core.issueOrThrow(input.issue);
    deleteComment(this.core, this.actor(input), issue, commentOrThrow(this.core, issue, input.commentId));
  }

  transition(input: AgentTransitionInput): IssueRecord {
    const issue = this.core.issueOrThrow(input.issue);
    const requested = input.transition.toLowerCase();
    const transition = availableTransitions(this.core, issue).find(
      (candidate) =>
        candidate.id === input.transition ||
        candidate.name.toLowerCase() === requested ||
        this.core.store.status(candidate.to).name.toLowerCase() === requested,
    );
    if (!transition) {
      const names = availableTransitions(this.core, issue).map((candidate) => candidate.name);
      const status = this.core.store.status(issue.statusId).name;
      throw platformError(400, [`No transition '${input.transition}' leads out of status '${status}'. Use one of: ${names.join(', ')}.`]);
    }
    const fields = transition.resolutionScreen ? { resolution: { name: input.resolution ?? 'Done' } } : {};
    const update = input.comment ? { comment: [{ add: { body: input.comment } }] } : undefined;
    transitionIssue(this.core, this.actor(input), issue, { transition: { id: transition.id }, fields, update });
    return issue;
  }

  assign(input: AgentAssignInput): IssueRecord {
    const issue = this.core.issueOrThrow(input.issue);
    let reference: Record<string, string> | null = null;
    if (input.assignee !== null) {
      const assignee = this.core.userOrThrow(input.assignee);
      reference = this.core.settings.flavour === 'cloud' ? { accountId: assignee.accountId } : { name: assignee.name };
    }
    editIssue(this.core, this.actor(input), issue, { fields: { assignee: reference } });
    return issue;
  }

  attach(input: AgentAttachInput): AttachmentRecord {
    const issue = this.core.issueOrThrow(input.issue);
    const content = typeof input.content === 'string' ? Buffer.from(input.content, 'utf8') : input.content;
    const [attachment] = addAttachments(this.core, this.actor(input), issue, [
      { filename: input.filename, mimeType: input.mimeType ?? 'application/octet-stream', content },
    ]);
    return attachment;
  }

  edit(input: AgentEditInput): IssueRecord {
    const issue = this.core.issueOrThrow(input.issue);
    editIssue(this.core, this.actor(input), issue, { fields: this.fieldIdsByName(input.fields), update: this.fieldIdsByName(input.update) });
    return issue;
  }

  deleteIssue(input: ActorOption & { issue: string }): void {
    deleteIssue(this.core, this.actor(input), this.core.issueOrThrow(input.issue));
  }
}
