/** JSON renderers for the smaller platform objects: statuses, priorities, comments, attachments, links, transitions. */
import type { AttachmentRecord, CommentRecord, IssueLinkRecord, IssueRecord } from './records';
import {
  STATUS_CATEGORIES,
  type IssueTypeRecord,
  type PriorityRecord,
  type ProjectRecord,
  type ResolutionRecord,
  type StatusCategoryKey,
  type StatusRecord,
  type TransitionRecord,
} from './seed';
import type { ViewContext } from './view-context';

export const PUBLIC_COMMENT_PROPERTY = 'sd.public.comment';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders wiki markup the way a test needs it: escaped paragraphs, no markup interpretation. */
export function renderWikiAsHtml(text: string | null): string | null {
  if (text === null) {
    return null;
  }
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br/>\n')}</p>`)
    .join('\n');
}

/** Checks whether portal customers can see a comment. Only `sd.public.comment` with `internal: true` hides it. */
export function isCommentPublic(comment: CommentRecord): boolean {
  const property = comment.properties[PUBLIC_COMMENT_PROPERTY] as { internal?: unknown } | undefined;
  return property?.internal !== true;
}

export function renderStatusCategory(ctx: ViewContext, key: StatusCategoryKey): Record<string, unknown> {
  const category = STATUS_CATEGORIES[key];
  return { self: ctx.url(`/rest/api/2/statuscategory/${category.id}`), ...category };
}

export function renderStatus(ctx: ViewContext, status: StatusRecord): Record<string, unknown> {
  return {
    self: ctx.url(`/rest/api/2/status/${status.id}`),
    description: status.description,
    iconUrl: ctx.url('/images/icons/statuses/generic.png'),
    name: status.name,
    id: status.id,
    statusCategory: renderStatusCategory(ctx, status.category),
  };
}

export function renderPriority(ctx: ViewContext, priority: PriorityRecord, full = false): Record<string, unknown> {
  const brief = {
    self: ctx.url(`/rest/api/2/priority/${priority.id}`),
    iconUrl: ctx.url(`/images/icons/priorities/${priority.icon}.svg`),
    name: priority.name,
    id: priority.id,
  };
  return full ? { ...brief, statusColor: priority.statusColor, description: priority.description } : brief;
}

export function renderResolution(ctx: ViewContext, resolution: ResolutionRecord): Record<string, unknown> {
  return {
    self: ctx.url(`/rest/api/2/resolution/${resolution.id}`),
    id: resolution.id,
    description: resolution.description,
    name: resolution.name,
  };
}

export function renderIssueType(ctx: ViewContext, type: IssueTypeRecord): Record<string, unknown> {
  return {
    self: ctx.url(`/rest/api/2/issuetype/${type.id}`),
    id: type.id,
    description: type.description,
    iconUrl: ctx.url(`/secure/viewavatar?size=xsmall&avatarId=${type.avatarId}&avatarType=issuetype`),
    name: type.name,
    subtask: false,
    avatarId: type.avatarId,
    ...(ctx.isCloud ? { hierarchyLevel: 0 } : {}),
  };
}

export function renderProjectBrief(ctx: ViewContext, project: ProjectRecord): Record<string, unknown> {
  const avatar = (size: string) => ctx.url(`/secure/projectavatar?size=${size}&avatarId=${project.avatarId}`);
  return {
    self: ctx.url(`/rest/api/2/project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    ...(ctx.isCloud ? { simplified: false } : {}),
    avatarUrls: { '48x48': avatar('large'), '24x24': avatar('small'), '16x16': avatar('xsmall'), '32x32': avatar('medium') },
  };
}

export interface CommentRenderOptions {
  withProperties?: boolean;
  withRenderedBody?: boolean;
}

export function renderComment(ctx: ViewContext, comment: CommentRecord, options: CommentRenderOptions = {}): Record<string, unknown> {
  return {
    self: ctx.url(`/rest/api/2/issue/${comment.issueId}/comment/${comment.id}`),
    id: comment.id,
    author: ctx.userById(comment.authorId),
    body: comment.body,
    ...(options.withRenderedBody ? { renderedBody: renderWikiAsHtml(comment.body) } : {}),
    updateAuthor: ctx.userById(comment.updateAuthorId),
    created: ctx.timestamp(comment.created),
    updated: ctx.timestamp(comment.updated),
    ...(comment.visibility ? { visibility: comment.visibility } : {}),
    ...(ctx.isCloud ? { jsdPublic: isCommentPublic(comment) } : {}),
    ...(options.withProperties
      ? { properties: Object.entries(comment.properties).map(([key, value]) => ({ key, value })) }
      : {}),
  };
}

function isImage(attachment: AttachmentRecord): boolean {
  return attachment.mimeType.startsWith('image/');
}

/** Returns the content URL: `/rest/api/2/attachment/content/{id}` on Cloud, `/secure/attachment/{id}/{name}` on Data Center. The fake serves both. */
export function attachmentContentUrl(ctx: ViewContext, attachment: AttachmentRecord): string {
  return ctx.isCloud
    ? ctx.url(`/rest/api/2/attachment/content/${attachment.id}`)
    : ctx.url(`/secure/attachment/${attachment.id}/${encodeURIComponent(attachment.filename)}`);
}

export function renderAttachment(ctx: ViewContext, attachment: AttachmentRecord): Record<string, unknown> {
  const thumbnail = ctx.isCloud
    ? ctx.url(`/rest/api/2/attachment/thumbnail/${attachment.id}`)
    : ctx.url(`/secure/thumbnail/${attachment.id}/${encodeURIComponent(attachment.filename)}`);
  return {
    self: ctx.url(`/rest/api/2/attachment/${attachment.id}`),
    id: attachment.id,
    filename: attachment.filename,
    author: ctx.userById(attachment.authorId),
    created: ctx.timestamp(attachment.created),
    size: attachment.content.length,
    mimeType: attachment.mimeType,
    content: attachmentContentUrl(ctx, attachment),
    ...(isImage(attachment) ? { thumbnail } : {}),
  };
}

function renderLinkedIssue(ctx: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const priority = ctx.store.priority(issue.priorityId);
  const type = ctx.store.issueType(issue.issueTypeId);
  return {
    id: issue.id,
    key: issue.key,
    self: ctx.url(`/rest/api/2/issue/${issue.id}`),
    fields: {
      summary: issue.summary,
      status: renderStatus(ctx, ctx.store.status(issue.statusId)),
      priority: priority ? renderPriority(ctx, priority) : null,
      issuetype: type ? renderIssueType(ctx, type) : null,
    },
  };
}

export function renderLinkType(ctx: ViewContext, typeId: string): Record<string, unknown> {
  const type = ctx.store.linkTypes().find((candidate) => candidate.id === typeId);
  return { ...type, self: ctx.url(`/rest/api/2/issueLinkType/${typeId}`) };
}

/** Renders a link as seen from `viewpointIssueId`: the other end appears as `inwardIssue` or `outwardIssue`. */
export function renderIssueLink(ctx: ViewContext, link: IssueLinkRecord, viewpointIssueId: string): Record<string, unknown> {
  const base = { id: link.id, self: ctx.url(`/rest/api/2/issueLink/${link.id}`), type: renderLinkType(ctx, link.typeId) };
  if (link.outwardIssueId === viewpointIssueId) {
    const other = ctx.store.issues.get(link.inwardIssueId);
    return { ...base, ...(other ? { inwardIssue: renderLinkedIssue(ctx, other) } : {}) };
  }
  const other = ctx.store.issues.get(link.outwardIssueId);
  return { ...base, ...(other ? { outwardIssue: renderLinkedIssue(ctx, other) } : {}) };
}

/** Renders a transition. `withFields` adds the transition screen, as `expand=transitions.fields` does. */
export function renderTransition(ctx: ViewContext, transition: TransitionRecord, withFields: boolean): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    id: transition.id,
    name: transition.name,
    to: renderStatus(ctx, ctx.store.status(transition.to)),
    hasScreen: transition.resolutionScreen,
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
  if (withFields) {
    rendered.fields = transition.resolutionScreen
      ? {
          resolution: {
            required: true,
            schema: { type: 'resolution', system: 'resolution' },
            name: 'Resolution',
            key: 'resolution',
            operations: ['set'],
            allowedValues: ctx.store.resolutions().map((resolution) => renderResolution(ctx, resolution)),
          },
        }
      : {};
  }
  return rendered;
}
