import { FieldCatalog } from './fields';
import type {
  AttachmentRecord,
  CommentRecord,
  IssueLinkRecord,
  IssueRecord,
  OrganizationRecord,
  TemporaryAttachmentRecord,
  WebhookRecord,
} from './records';
import {
  ISSUE_LINK_TYPES,
  ISSUE_TYPES,
  PRIORITIES,
  PROJECTS,
  REQUEST_TYPES,
  RESOLUTIONS,
  SERVICE_DESKS,
  STATUSES,
  seedUsers,
  type IssueLinkTypeRecord,
  type IssueTypeRecord,
  type PriorityRecord,
  type ProjectRecord,
  type RequestTypeRecord,
  type ResolutionRecord,
  type ServiceDeskRecord,
  type StatusRecord,
  type UserRecord,
} from './seed';

interface IndexEntry {
  visibleAt: number;
  /** The issue as search finds it from `visibleAt` on, or null once it is deleted. */
  snapshot: IssueRecord | null;
}

/** Counters behind every id the fake hands out, so ids are the same on every run. */
class IdSequence {
  private next: number;

  constructor(private readonly start: number) {
    this.next = start;
  }

  take(): string {
    return String(this.next++);
  }

  reset(): void {
    this.next = this.start;
  }
}

/** All state of one fake Jira: reference data, issues and everything attached to them. */
export class FakeJiraStore {
  readonly catalog: FieldCatalog;
  readonly requestTypes: RequestTypeRecord[];

  users = new Map<string, UserRecord>();
  issues = new Map<string, IssueRecord>();
  comments = new Map<string, CommentRecord>();
  attachments = new Map<string, AttachmentRecord>();
  links = new Map<string, IssueLinkRecord>();
  organizations = new Map<string, OrganizationRecord>();
  serviceDeskCustomers = new Map<string, Set<string>>();
  serviceDeskOrganizations = new Map<string, Set<string>>();
  temporaryAttachments = new Map<string, TemporaryAttachmentRecord>();
  webhooks = new Map<string, WebhookRecord>();
  private searchIndex = new Map<string, IndexEntry[]>();
  private issueNumbers = new Map<string, number>();

  readonly issueIds: IdSequence;
  readonly commentIds = new IdSequence(10400);
  readonly attachmentIds = new IdSequence(10600);
  readonly changelogIds = new IdSequence(11800);
  readonly linkIds = new IdSequence(10700);
  readonly organizationIds = new IdSequence(1);
  readonly webhookIds = new IdSequence(1);
  readonly temporaryAttachmentIds = new IdSequence(910441317);
  readonly customerIds = new IdSequence(100);

  constructor(customFieldIdStart: number, issueIdStart: number) {
    this.catalog = new FieldCatalog(customFieldIdStart);
    this.issueIds = new IdSequence(issueIdStart);
    this.requestTypes = REQUEST_TYPES.map((seed) => ({
      id: seed.id,
      name: seed.name,
      description: seed.description,
      helpText: seed.helpText,
      issueTypeId: seed.issueTypeId,
      serviceDeskId: seed.serviceDeskId,
      groupIds: seed.groupIds,
      fieldIds: [...seed.systemFieldIds, ...seed.customFieldNames.map((name) => this.catalog.customByName(name).id)],
      requiredFieldIds: seed.requiredFieldIds,
    }));
    this.reset();
  }

  /** Drops every issue, comment, attachment, webhook and created user, and restarts all id counters. */
  reset(): void {
    this.users = new Map(seedUsers().map((user) => [user.accountId, user]));
    this.issues.clear();
    this.comments.clear();
    this.attachments.clear();
    this.links.clear();
    this.organizations.clear();
    this.serviceDeskCustomers = new Map(SERVICE_DESKS.map((desk) => [desk.id, new Set<string>()]));
    this.serviceDeskOrganizations = new Map(SERVICE_DESKS.map((desk) => [desk.id, new Set<string>()]));
    this.temporaryAttachments.clear();
    this.webhooks.clear();
    this.searchIndex.clear();
    this.issueNumbers.clear();
    for (const sequence of [
      this.issueIds,
      this.commentIds,
      this.attachmentIds,
      this.changelogIds,
      this.linkIds,
      this.organizationIds,
      this.webhookIds,
      this.temporaryAttachmentIds,
      this.customerIds,
    ]) {
      sequence.reset();
    }
  }

  nextIssueKey(project: ProjectRecord): string {
    const number = (this.issueNumbers.get(project.id) ?? 0) + 1;
    this.issueNumbers.set(project.id, number);
    return `${project.key}-${number}`;
  }

  /** Finds an issue by numeric id or by key. Keys are case-insensitive as in Jira. */
  findIssue(idOrKey: string): IssueRecord | undefined {
    if (/^\d+$/.test(idOrKey)) {
      return this.issues.get(idOrKey);
    }
    const upperKey = idOrKey.toUpperCase();
    for (const issue of this.issues.values()) {
      if (issue.key === upperKey) {
        return issue;
      }
    }
    return undefined;
  }

  user(accountId: string | null): UserRecord | undefined {
    return accountId ? this.users.get(accountId) : undefined;
  }

  /** Finds a user by accountId, Data Center name or key, or e-mail address. */
  findUser(reference: string): UserRecord | undefined {
    const direct = this.users.get(reference);
    if (direct) {
      return direct;
    }
    const lower = reference.toLowerCase();
    for (const user of this.users.values()) {
      if (user.name.toLowerCase() === lower || user.key === reference || user.emailAddress.toLowerCase() === lower) {
        return user;
      }
    }
    return undefined;
  }

  project(idOrKey: string): ProjectRecord | undefined {
    const upper = idOrKey.toUpperCase();
    return PROJECTS.find((project) => project.id === idOrKey || project.key === upper);
  }

  projectOf(issue: IssueRecord): ProjectRecord {
    const project = PROJECTS.find((candidate) => candidate.id === issue.projectId);
    if (!project) {
      throw new Error(`Issue ${issue.key} refers to unknown project ${issue.projectId}.`);
    }
    return project;
  }

  projects(): ProjectRecord[] {
    return PROJECTS;
  }

  status(id: string): StatusRecord {
    const status = STATUSES.find((candidate) => candidate.id === id);
    if (!status) {
      throw new Error(`Unknown status id ${id}.`);
    }
    return status;
  }

  statuses(): StatusRecord[] {
    return STATUSES;
  }

  resolution(id: string | null): ResolutionRecord | undefined {
    return RESOLUTIONS.find((candidate) => candidate.id === id);
  }

  resolutions(): ResolutionRecord[] {
    return RESOLUTIONS;
  }

  priority(id: string | null): PriorityRecord | undefined {
    return PRIORITIES.find((candidate) => candidate.id === id);
  }

  priorities(): PriorityRecord[] {
    return PRIORITIES;
  }

  issueType(id: string): IssueTypeRecord | undefined {
    return ISSUE_TYPES.find((candidate) => candidate.id === id);
  }

  issueTypes(): IssueTypeRecord[] {
    return ISSUE_TYPES;
  }

  serviceDesks(): ServiceDeskRecord[] {
    return SERVICE_DESKS;
  }

  serviceDesk(id: string): ServiceDeskRecord | undefined {
    return SERVICE_DESKS.find((desk) => desk.id === id);
  }

  serviceDeskOfProject(projectId: string): ServiceDeskRecord | undefined {
    return SERVICE_DESKS.find((desk) => desk.projectId === projectId);
  }

  linkTypes(): IssueLinkTypeRecord[] {
    return ISSUE_LINK_TYPES;
  }

  issueComments(issueId: string): CommentRecord[] {
    return [...this.comments.values()].filter((comment) => comment.issueId === issueId).sort((a, b) => Number(a.id) - Number(b.id));
  }

  issueAttachments(issueId: string): AttachmentRecord[] {
    return [...this.attachments.values()]
      .filter((attachment) => attachment.issueId === issueId)
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  issueLinks(issueId: string): IssueLinkRecord[] {
    return [...this.links.values()].filter((link) => link.inwardIssueId === issueId || link.outwardIssueId === issueId);
  }

  /** Queues the issue's current state, or its deletion, for search to find after `delayMs`. */
  indexIssue(issueId: string, nowMs: number, delayMs: number): void {
    const issue = this.issues.get(issueId);
    const entries = this.searchIndex.get(issueId) ?? [];
    entries.push({ visibleAt: nowMs + delayMs, snapshot: issue ? structuredClone(issue) : null });
    this.searchIndex.set(issueId, entries);
  }

  /**
   * Returns issues as the search index has them at `nowMs`. An issue is
   * missing until its first entry is visible, and it shows its older state
   * until a later entry is. Issues listed in `currentIds` skip the lag, as
   * `reconcileIssues` does on Cloud.
   */
  searchableIssues(nowMs: number, currentIds: ReadonlySet<string> = new Set()): IssueRecord[] {
    const result: IssueRecord[] = [];
    for (const [issueId, entries] of this.searchIndex) {
      if (currentIds.has(issueId)) {
        const current = this.issues.get(issueId);
        if (current) {
          result.push(current);
        }
        continue;
      }
      let visible: IndexEntry | undefined;
      let visibleIndex = -1;
      entries.forEach((entry, index) => {
        if (entry.visibleAt <= nowMs) {
          visible = entry;
          visibleIndex = index;
        }
      });
      if (visibleIndex > 0) {
        entries.splice(0, visibleIndex);
      }
      if (visible?.snapshot) {
        result.push(visible.snapshot);
      }
    }
    return result;
  }
}
