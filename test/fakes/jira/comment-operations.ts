/** Comment changes shared by the platform API, the JSM API and the control API. */
import type { FakeJiraCore } from './core';
import { PUBLIC_COMMENT_PROPERTY, isCommentPublic } from './entity-views';
import { platformError } from './errors';
import { isRecord, type CommentRecord, type IssueRecord } from './records';
import { isAgent, type UserRecord } from './seed';

export interface CommentInput {
  body: unknown;
  visibility?: unknown;
  /** Entity properties as the platform API takes them: `[{key, value}]`. */
  properties?: unknown;
}

function validateBody(body: unknown): string {
  if (typeof body !== 'string' || body.trim() === '') {
    throw platformError(400, [], { comment: 'Comment body can not be empty!' });
  }
  return body;
}

function parseProperties(properties: unknown): Record<string, unknown> {
  if (properties === undefined || properties === null) {
    return {};
  }
  if (!Array.isArray(properties)) {
    throw platformError(400, ['Comment properties must be a list of {key, value} objects.']);
  }
  const parsed: Record<string, unknown> = {};
  for (const property of properties) {
    if (!isRecord(property) || typeof property.key !== 'string') {
      throw platformError(400, ['Each comment property needs a string "key".']);
    }
    parsed[property.key] = property.value;
  }
  return parsed;
}

function parseVisibility(visibility: unknown): CommentRecord['visibility'] {
  if (visibility === undefined || visibility === null) {
    return null;
  }
  if (!isRecord(visibility) || (visibility.type !== 'role' && visibility.type !== 'group')) {
    throw platformError(400, [], { commentLevel: "Visibility type must be 'role' or 'group'." });
  }
  return visibility as CommentRecord['visibility'];
}

function emitCommentEvent(
  core: FakeJiraCore,
  kind: 'comment_created' | 'comment_updated' | 'comment_deleted',
  issue: IssueRecord,
  comment: CommentRecord,
  actor: UserRecord,
): void {
  const style = core.settings.commentEventStyle;
  if (style !== 'dc-legacy') {
    core.emit({ kind, issue, comment, actor, flow: 'Primary' });
  }
  if (style !== 'cloud') {
    const eventTypeName = {
      comment_created: 'issue_commented',
      comment_updated: 'issue_comment_edited',
      comment_deleted: 'issue_comment_deleted',
    }[kind];
    core.emit({ kind: 'issue_updated', issue, actor, eventTypeName, changelog: null, comment });
  }
}

/** Adds a comment. A public comment by an agent stops the first-response SLA. */
export function addComment(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, input: CommentInput): CommentRecord {
  const body = validateBody(input.body);
  const now = core.now();
  const comment: CommentRecord = {
    id: core.store.commentIds.take(),
    issueId: issue.id,
    authorId: actor.accountId,
    updateAuthorId: actor.accountId,
    body,
    created: now,
    updated: now,
    properties: parseProperties(input.properties),
    visibility: parseVisibility(input.visibility),
  };
  core.store.comments.set(comment.id, comment);
  if (issue.firstResponseAt === null && isAgent(actor) && isCommentPublic(comment)) {
    issue.firstResponseAt = now;
  }
  core.touch(issue);
  emitCommentEvent(core, 'comment_created', issue, comment, actor);
  return comment;
}

/** Finds a comment of an issue or throws Jira's 404. */
export function commentOrThrow(core: FakeJiraCore, issue: IssueRecord, commentId: string): CommentRecord {
  const comment = core.store.comments.get(commentId);
  if (!comment || comment.issueId !== issue.id) {
    throw platformError(404, [`Can not find a comment for the id: ${commentId}.`]);
  }
  return comment;
}

/** Replaces the body (and, when given, visibility and properties) of a comment. */
export function updateComment(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, comment: CommentRecord, input: CommentInput): CommentRecord {
  comment.body = validateBody(input.body);
  if (input.visibility !== undefined) {
    comment.visibility = parseVisibility(input.visibility);
  }
  if (input.properties !== undefined) {
    comment.properties = { ...comment.properties, ...parseProperties(input.properties) };
  }
  comment.updated = core.now();
  comment.updateAuthorId = actor.accountId;
  core.touch(issue);
  emitCommentEvent(core, 'comment_updated', issue, comment, actor);
  return comment;
}

export function deleteComment(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, comment: CommentRecord): void {
  core.store.comments.delete(comment.id);
  core.touch(issue);
  emitCommentEvent(core, 'comment_deleted', issue, comment, actor);
}

/** Sets the `sd.public.comment` property the way JSM's `public` flag does. */
export function setCommentPublic(comment: CommentRecord, isPublic: boolean): void {
  comment.properties[PUBLIC_COMMENT_PROPERTY] = { internal: !isPublic };
}
