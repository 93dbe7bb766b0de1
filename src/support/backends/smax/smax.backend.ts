import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { Customer } from '../../../identity/customers/customer.entity';
import { Project } from '../../../identity/projects/project.entity';
import { User } from '../../../identity/users/user.entity';
import type { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import { safeFileName } from '../../common/file-names';
import type { Feedback } from '../../feedback/feedback.entity';
import type { Issue } from '../../issues/issue.entity';
import { RequestType } from '../../request-types/request-type.entity';
import { Resource } from '../../resources/resource.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { IssueRemoteFields, SupportBackend } from '../support-backend';
import { readAfterCreate, ReadAfterCreateWait } from './read-after-create';
import { SmaxAttachmentLinks } from './smax-attachment-links';
import { SmaxCommentInput, SmaxCommentSnapshot } from './smax-comment.mapper';
import { comparableText, textToHtml } from './smax-html';
import { SmaxHttpClient } from './smax-http.client';
import { IssueSyncResult, RemoteIssueState, SmaxIssueSync } from './smax-issue-sync';
import { SmaxPeople } from './smax-people';
import { SmaxBackendOptions, SmaxSharedSettings } from './smax.config';
import { emsIdLiteral, emsLiteral, REQUEST_LAYOUT, SmaxClient } from './smax.client';
import { SmaxError } from './smax.exception';
import { compactUuid, describeWithReference, SMAX_SUMMARY_MAX_LENGTH, SmaxRequestSnapshot, toNewRequestProperties } from './smax.mapper';

/** Statuses of a comments read that mean the server has no collaboration API for it; the embedded comments are used then. */
const NO_COMMENTS_API_STATUSES = new Set([404, 405, 501]);

/** Clock difference allowed between us and SMAX when searching for a Request by its creation time. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Requests scanned for our reference line before a search gives up. */
const MAX_REFERENCE_SCAN = 500;
const REFERENCE_SCAN_PAGE = 100;

/** Request Ids asked for in one existence query; it stays below SMAX's smallest page cap. */
const EXISTENCE_BATCH = 100;

/** One page of Requests changed since a time. */
export interface ChangedRequestsPage {
  requests: SmaxRequestSnapshot[];
  /** Offset of the next page, when there may be one. */
  nextSkip: number | undefined;
  /** Server time of the query. */
  queryTime: Date | null;
}

/**
 * The SMAX adapter: issues are SMAX Requests (created with a bulk CREATE), comments go
 * through the collaboration API and attachments through the file repository plus the
 * Request's `RequestAttachments` property. SMAX keeps HTML, so text is converted on the way
 * out. Requests are never deleted or edited from here once closed: SMAX rejects changes to
 * closed Requests, so comments and attachments are available only on open issues.
 */
export class SmaxBackend extends SupportBackend {
  readonly name = 'smax' as const;
  override readonly summaryMaxLength = SMAX_SUMMARY_MAX_LENGTH;
  override readonly messageFormat = 'html' as const;

  private readonly logger = new Logger(SmaxBackend.name);
  private readonly client: SmaxClient;
  private readonly wait: ReadAfterCreateWait;
  private readonly people: SmaxPeople;
  private readonly links: SmaxAttachmentLinks;
  private readonly issueSync: SmaxIssueSync;

  constructor(
    private readonly options: SmaxBackendOptions,
    shared: SmaxSharedSettings = { isFeedbackEnabled: () => true },
  ) {
    super();
    this.client = new SmaxClient(new SmaxHttpClient(options));
    this.wait = { attempts: options.timesToPull, delayMs: options.secondsToWait * 1000 };
    this.people = new SmaxPeople(this.client, this.wait);
    this.links = new SmaxAttachmentLinks(this.client, this.wait);
    this.issueSync = new SmaxIssueSync(this.people, shared.isFeedbackEnabled);
  }

  /** Closes the HTTP connections; `SmaxAdapterProvider` calls it for adapters it replaced. */
  close(): Promise<void> {
    return this.client.close();
  }

  /**
   * Creates the Request, then reads it back (waiting for queries to show it) for its phase.
   * When the response to the create is lost, the Request it may have made is searched for by
   * our reference line before the error is raised, so no second Request is made.
   */
  async createIssue(issue: Issue, manager: EntityManager): Promise<IssueRemoteFields> {
    const personId = await this.requesterPersonId(issue, manager);
    const properties = toNewRequestProperties({
      summary: issue.summary,
      descriptionText: issue.description,
      issueUuid: issue.uuid,
      requestedByPersonId: personId,
      categoryId: await this.categoryId(issue, manager),
      extraProperties: await this.extraRequestProperties(issue, manager),
    });

    const startedAt = Date.now();
    let requestId: string;
    try {
      requestId = await this.client.createEntity('Request', properties);
    } catch (error) {
      if (!(error instanceof SmaxError) || !error.outcomeUnknown) throw error;
      const found = await readAfterCreate(this.wait, () => this.findRequestByReference(issue.uuid, personId, startedAt));
      if (!found) throw error;
      this.logger.warn(`The response to creating issue ${issue.uuid} was lost; adopted SMAX Request ${found.id} made by that attempt`);
      requestId = found.id;
    }

    const request = await readAfterCreate(this.wait, () => this.client.getRequest(requestId, REQUEST_LAYOUT));
    if (!request) this.logger.warn(`SMAX Request ${requestId} is not visible to queries yet; its phase arrives with the next pull`);
    this.logger.log(`Issue ${issue.uuid} created as SMAX Request ${requestId}`);
    return remoteFields(requestId, request);
  }

  /**
   * Returns the Request an earlier create of this issue made, found by the reference line
   * in its description, or undefined. Retried creates whose response was lost call it.
   */
  async findCreatedIssue(issue: Issue, manager: EntityManager): Promise<IssueRemoteFields | undefined> {
    const reporter = issue.reporterId === null ? null : await manager.findOneBy(SupportUser, { id: issue.reporterId });
    const personId = reporter?.backendName === this.name ? (reporter.backendId ?? undefined) : undefined;
    const found = await this.findRequestByReference(issue.uuid, personId, issue.created.getTime());
    return found ? remoteFields(found.id, found) : undefined;
  }

  /** Sends summary and description. The API offers this only where `updateIsAvailable` allows it. */
  async updateIssue(issue: Issue, _manager: EntityManager): Promise<void> {
    const requestId = this.requestIdOf(issue);
    await this.client.updateEntity('Request', {
      Id: requestId,
      DisplayLabel: issue.summary.slice(0, SMAX_SUMMARY_MAX_LENGTH),
      Description: describeWithReference(issue.description, issue.uuid),
    });
  }

  /** SMAX Requests are closed by their workflow, never deleted, so nothing is sent. */
  async deleteIssue(issue: Issue, _manager: EntityManager): Promise<void> {
    this.logger.log(`Issue ${issue.uuid} deleted locally; SMAX Request ${issue.backendId ?? '(none)'} stays in SMAX`);
  }

  async syncIssue(issue: Issue, manager: EntityManager): Promise<void> {
    const requestId = this.requestIdOf(issue);
    const request = await this.client.getRequest(requestId);
    if (!request) {
      throw new SmaxError(`SMAX Request ${requestId} of issue ${issue.uuid} was not found.`, { status: 404, retryable: true });
    }
    await this.syncIssueFrom(issue, request, manager);
  }

  /** Applies a Request already read (by a pull, say) to our copy, reading its comments. */
  async syncIssueFrom(issue: Issue, request: SmaxRequestSnapshot, manager: EntityManager): Promise<IssueSyncResult> {
    return this.applyIssueState(issue, await this.readIssueState(request), manager);
  }

  /** Reads a Request by its Id with the properties a pull maps; undefined when SMAX queries do not show it. */
  findRequest(requestId: string): Promise<SmaxRequestSnapshot | undefined> {
    return this.client.getRequest(requestId, REQUEST_LAYOUT);
  }

  /**
   * Reads what `applyIssueState` needs besides the Request: its comments. Webhooks and pulls
   * call it before they open the transaction that applies the state.
   */
  async readIssueState(request: SmaxRequestSnapshot): Promise<RemoteIssueState> {
    return { request, comments: await this.readComments(request) };
  }

  /** Brings our copy of `issue` in line with a state read by `readIssueState`. */
  async applyIssueState(issue: Issue, state: RemoteIssueState, manager: EntityManager): Promise<IssueSyncResult> {
    const { request } = state;
    const result = await this.issueSync.apply(issue, state, manager);
    this.logger.log(
      `Synced issue ${issue.uuid} from SMAX Request ${request.id}: fields ${result.issueChanged ? 'changed' : 'unchanged'}, ` +
        `comments +${result.commentsCreated} ~${result.commentsUpdated} =${result.commentsLinked} -${result.commentsDeleted}, ` +
        `attachments +${result.attachmentsCreated} =${result.attachmentsLinked} -${result.attachmentsDeleted}`,
    );
    return result;
  }

  /**
   * Reads one page of Requests changed at or after `since` (every Request when null), oldest
   * change first, with `size`/`skip` paging.
   */
  async listChangedRequests(since: Date | null, skip: number, size: number): Promise<ChangedRequestsPage> {
    const page = await this.client.queryRequests({
      layout: REQUEST_LAYOUT,
      filter: since ? `LastUpdateTime >= ${since.getTime()}` : undefined,
      order: 'LastUpdateTime asc,Id asc',
      size,
      skip,
      totalCount: true,
    });
    const seen = skip + page.requests.length;
    const more = page.totalCount !== undefined && page.totalCount > 0 ? seen < page.totalCount : page.requests.length >= size;
    return { requests: page.requests, nextSkip: more && page.requests.length > 0 ? seen : undefined, queryTime: page.queryTime };
  }

  /** Returns which of `requestIds` SMAX queries still show, reading them in batches. */
  async listExistingRequestIds(requestIds: readonly string[]): Promise<Set<string>> {
    const existing = new Set<string>();
    for (let start = 0; start < requestIds.length; start += EXISTENCE_BATCH) {
      const batch = requestIds.slice(start, start + EXISTENCE_BATCH);
      const page = await this.client.queryRequests({
        layout: 'Id',
        filter: `Id in (${batch.map(emsIdLiteral).join(',')})`,
        size: batch.length,
      });
      for (const request of page.requests) existing.add(request.id);
    }
    return existing;
  }

  async createComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<{ backendId?: string }> {
    const requestId = this.requestIdOf(issue);
    if (comment.backendId) return { backendId: comment.backendId };
    const input = await this.commentInput(comment, manager);
    try {
      const created = await this.client.addComment(requestId, input);
      return { backendId: created.id };
    } catch (error) {
      if (!(error instanceof SmaxError) || !error.outcomeUnknown) throw error;
      const found = await this.findCreatedComment(comment, issue, manager);
      if (!found) throw error;
      this.logger.warn(`The response to adding comment ${comment.uuid} was lost; adopted SMAX comment ${found.backendId}`);
      return found;
    }
  }

  /**
   * Returns the SMAX comment an earlier push of `comment` made, or undefined: a comment on
   * the Request with the same text, visibility and submitter that no comment of ours is
   * linked to yet.
   */
  async findCreatedComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<{ backendId: string } | undefined> {
    const requestId = this.requestIdOf(issue);
    const input = await this.commentInput(comment, manager);
    const remote = await this.client.listComments(requestId);
    const linked = await manager.find(Comment, { select: { backendId: true }, where: { issueId: issue.id } });
    const linkedIds = new Set(linked.map((row) => row.backendId).filter((id): id is string => !!id));
    const match = remote.find((candidate) => !linkedIds.has(candidate.id) && isCommentFrom(candidate, input));
    return match ? { backendId: match.id } : undefined;
  }

  async updateComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<void> {
    const requestId = this.requestIdOf(issue);
    if (!comment.backendId) {
      this.logger.warn(`Comment ${comment.uuid} has no SMAX id yet; its change goes out with its creation`);
      return;
    }
    await this.client.updateComment(requestId, comment.backendId, await this.commentInput(comment, manager));
  }

  async deleteComment(comment: Comment, issue: Issue, _manager: EntityManager): Promise<void> {
    const requestId = this.requestIdOf(issue);
    if (!comment.backendId) return;
    await this.client.deleteComment(requestId, comment.backendId);
  }

  /** Uploads the file to the file repository and links it to the Request. Empty files are not sent. */
  async createAttachment(attachment: Attachment, issue: Issue, content: Buffer, manager: EntityManager): Promise<{ backendId?: string }> {
    const requestId = this.requestIdOf(issue);
    if (attachment.backendId) return { backendId: attachment.backendId };
    if (content.length === 0) {
      this.logger.warn(`Attachment ${attachment.uuid} is empty; SMAX does not get it`);
      return {};
    }
    const creator = await this.creatorValue(attachment, manager);
    const file = await this.client.uploadFile(attachment.fileName, attachment.mimeType, content);
    await this.links.link(requestId, file, creator);
    return { backendId: file.guid };
  }

  /**
   * Finds the file an earlier attempt linked for the attachment: a visible file of the same
   * name and size whose id is not in `linkedIds`, the files other attachments of ours use.
   */
  async findCreatedAttachment(attachment: Attachment, issue: Issue, linkedIds: ReadonlySet<string>): Promise<{ backendId: string } | undefined> {
    const requestId = this.requestIdOf(issue);
    const files = await this.links.list(requestId);
    const fileName = safeFileName(attachment.fileName);
    const found = files.find((file) => !file.hidden && !linkedIds.has(file.id) && file.fileName === fileName && file.size === attachment.fileSize);
    return found ? { backendId: found.id } : undefined;
  }

  async deleteAttachment(attachment: Attachment, issue: Issue, _manager: EntityManager): Promise<void> {
    const requestId = this.requestIdOf(issue);
    if (!attachment.backendId) return;
    await this.links.unlink(requestId, attachment.backendId);
  }

  /** Fetches the bytes of a file from the SMAX file repository. */
  async downloadAttachment(attachment: Pick<Attachment, 'backendId'>): Promise<{ content: Buffer; contentType: string | undefined }> {
    if (!attachment.backendId) throw new SmaxError('The attachment has no SMAX file id to download.', { retryable: false });
    return this.client.downloadFile(attachment.backendId);
  }

  /** Feedback stays in our database: SMAX has no place for it. */
  async createFeedback(_feedback: Feedback, _issue: Issue, _manager: EntityManager): Promise<void> {}

  /** Nothing to pull: SMAX agents reach us as the Persons of their comments. */
  async pullSupportUsers(): Promise<void> {}

  /** Nothing to pull: SMAX priorities are not read, as in Waldur. */
  async pullPriorities(): Promise<void> {}

  /**
   * Nothing to pull: request types map issue types to SMAX categories
   * (`ITProcessRecordCategory` Ids) and are entered by an admin.
   */
  async pullRequestTypes(): Promise<void> {}

  override commentCreateIsAvailable(issue: Issue): boolean {
    return isOpen(issue);
  }

  override commentUpdateIsAvailable(_comment: Comment, issue: Issue): boolean {
    return isOpen(issue);
  }

  override commentDestroyIsAvailable(_comment: Comment, issue: Issue): boolean {
    return isOpen(issue);
  }

  override attachmentCreateIsAvailable(issue: Issue): boolean {
    return isOpen(issue);
  }

  override attachmentDestroyIsAvailable(_attachment: Attachment, issue: Issue): boolean {
    return isOpen(issue);
  }

  private requestIdOf(issue: Issue): string {
    if (!issue.backendId) {
      throw new SmaxError(`Issue ${issue.uuid} has no SMAX Request yet.`, { retryable: true });
    }
    return issue.backendId;
  }

  /** Person Id for `RequestedByPerson`: the reporter's, else the caller's, else the integration user's. */
  private async requesterPersonId(issue: Issue, manager: EntityManager): Promise<string> {
    const reporter = issue.reporterId === null ? null : await manager.findOneBy(SupportUser, { id: issue.reporterId });
    const fromReporter = reporter ? await this.people.personIdFor(reporter, manager) : undefined;
    if (fromReporter) return fromReporter;

    const caller = issue.callerId === null ? null : await manager.findOneBy(User, { id: issue.callerId });
    if (caller?.email.trim()) return this.people.personIdForUser(caller);

    const integration = await this.people.integrationPersonId();
    if (integration) return integration;
    throw new SmaxError(
      `Issue ${issue.uuid} has no reporter or caller with an email, and no SMAX Person has the UPN or email "${this.client.login}".`,
      { retryable: false },
    );
  }

  private async categoryId(issue: Issue, manager: EntityManager): Promise<string | undefined> {
    const requestType = await manager.findOneBy(RequestType, { issueTypeName: issue.type, backendName: this.name });
    if (!requestType || requestType.backendId === null) return undefined;
    return String(requestType.backendId);
  }

  /** Offering, creation source name and the configured organisation, project and resource properties. */
  private async extraRequestProperties(issue: Issue, manager: EntityManager): Promise<Record<string, string>> {
    const customer = issue.customerId === null ? null : await manager.findOneBy(Customer, { id: issue.customerId });
    const project = issue.projectId === null ? null : await manager.findOneBy(Project, { id: issue.projectId });
    const resource = issue.resourceId === null ? null : await manager.findOneBy(Resource, { id: issue.resourceId });
    const properties: Record<string, string> = {};
    const add = (name: string, value: string | undefined) => {
      if (name && value) properties[name] = value;
    };
    add('RequestsOffering', this.options.requestsOffering);
    add('CreationSourceName_c', this.options.creationSourceName);
    add(this.options.organisationField, customer?.name);
    add(this.options.projectField, project?.name);
    add(this.options.affectedResourceField, resource?.name);
    return properties;
  }

  private async commentInput(comment: Comment, manager: EntityManager): Promise<SmaxCommentInput> {
    const author = await manager.findOneBy(SupportUser, { id: comment.authorId });
    const submitterPersonId = author ? await this.people.personIdFor(author, manager) : undefined;
    return { text: comment.description, isPublic: comment.isPublic, submitterPersonId };
  }

  /** `Creator` of an uploaded file: the author's Person, else the integration user's. */
  private async creatorValue(attachment: Attachment, manager: EntityManager): Promise<string> {
    const author = attachment.authorId === null ? null : await manager.findOneBy(SupportUser, { id: attachment.authorId });
    const personId = (author ? await this.people.personIdFor(author, manager) : undefined) ?? (await this.people.integrationPersonId());
    return personId === undefined ? '' : this.people.creatorValueFor(personId);
  }

  /**
   * Reads the comments of a Request through the collaboration API. Servers without it
   * (404, 405 or 501) fall back to the `Comments` property, which a `FULL_LAYOUT` read carries.
   */
  private async readComments(request: SmaxRequestSnapshot): Promise<SmaxCommentSnapshot[] | undefined> {
    try {
      return await this.client.listComments(request.id);
    } catch (error) {
      if (!(error instanceof SmaxError) || error.status === undefined || !NO_COMMENTS_API_STATUSES.has(error.status)) throw error;
      this.logger.warn(`The SMAX comments API returned HTTP ${error.status}; using the comments embedded in Request ${request.id}`);
      return request.embeddedComments ?? (await this.client.getRequest(request.id))?.embeddedComments;
    }
  }

  /**
   * Scans the Requests changed since `sinceMs` (less a clock-skew margin), of the requester
   * when known, for the reference line naming `issueUuid`.
   */
  private async findRequestByReference(issueUuid: string, personId: string | undefined, sinceMs: number): Promise<SmaxRequestSnapshot | undefined> {
    const reference = compactUuid(issueUuid);
    const conditions = [`LastUpdateTime >= ${Math.max(0, sinceMs - CLOCK_SKEW_MS)}`];
    if (personId) conditions.push(`RequestedByPerson = ${emsLiteral(personId)}`);
    for (let skip = 0; skip < MAX_REFERENCE_SCAN; skip += REFERENCE_SCAN_PAGE) {
      const page = await this.client.queryRequests({
        layout: REQUEST_LAYOUT,
        filter: conditions.join(' and '),
        order: 'LastUpdateTime desc,Id desc',
        size: REFERENCE_SCAN_PAGE,
        skip,
      });
      const match = page.requests.find((request) => request.issueReference === reference);
      if (match) return match;
      if (page.requests.length < REFERENCE_SCAN_PAGE) return undefined;
    }
    return undefined;
  }
}

function remoteFields(requestId: string, request: SmaxRequestSnapshot | undefined): IssueRemoteFields {
  return { backendId: requestId, key: requestId, backendName: 'smax', status: request?.phase ?? '' };
}

/** SMAX rejects changes to closed Requests; an issue with a resolution date is closed. */
function isOpen(issue: Issue): boolean {
  return issue.resolutionDate === null;
}

function isCommentFrom(candidate: SmaxCommentSnapshot, input: SmaxCommentInput): boolean {
  if (candidate.isPublic !== input.isPublic) return false;
  if (input.submitterPersonId && candidate.submitterPersonId && candidate.submitterPersonId !== input.submitterPersonId) return false;
  return comparableText(candidate.bodyHtml) === comparableText(textToHtml(input.text));
}
