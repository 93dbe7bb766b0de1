import { EntityManager, In, IsNull } from 'typeorm';

import { Comment } from '../../comments/comment.entity';
import { SyncState } from '../../common/sync-state';
import type { Issue } from '../../issues/issue.entity';
import type { SupportUser } from '../../support-users/support-user.entity';
import { JiraAccountFields, JiraCommentFields, stripAuthorPrefix } from './jira.mapper';
import type { PendingLocalEdits } from './jira-issue-sync';

const BACKEND = 'atlassian';

export interface CommentCounts {
  commentsCreated: number;
  commentsUpdated: number;
}

/**
 * Copies Jira's comments of an issue into ours: new ones are added with their author and
 * visibility, changed text and visibility are followed, and our own pushed comments are
 * recognized instead of copied. Comments with an unpushed local edit or deletion are left
 * alone, so a pull never undoes a change that is on its way to Jira.
 */
export async function applyJiraComments(
  manager: EntityManager,
  issue: Issue,
  comments: JiraCommentFields[],
  pending: PendingLocalEdits,
  authorOf: (account: JiraAccountFields | null) => Promise<SupportUser>,
  counts: CommentCounts,
): Promise<void> {
  const known = comments.length > 0 ? await manager.findBy(Comment, { backendName: BACKEND, backendId: In(comments.map((comment) => comment.backendId)) }) : [];
  const byBackendId = new Map(known.map((row) => [row.backendId!, row]));

  for (const comment of comments) {
    if (pending.deletedCommentIds.has(comment.backendId)) continue;
    const existing = byBackendId.get(comment.backendId);
    if (existing) {
      if (existing.issueId !== issue.id || pending.commentIds.has(existing.id)) continue;
      const changes: Partial<Comment> = {};
      // A row stored without the author prefix keeps it off, even when another account than
      // today's integration user pushed the comment, so a change of that account rewrites nothing.
      if (existing.description !== comment.text && existing.description !== stripAuthorPrefix(comment.body)) changes.description = comment.text;
      if (comment.isPublic !== undefined && existing.isPublic !== comment.isPublic) changes.isPublic = comment.isPublic;
      if (Object.keys(changes).length > 0) {
        await manager.update(Comment, { id: existing.id }, changes);
        counts.commentsUpdated += 1;
      }
      continue;
    }
    if (await claimPushedComment(manager, issue, comment)) continue;

    const author = await authorOf(comment.author);
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Comment)
      .values({
        issueId: issue.id,
        authorId: author.id,
        description: comment.text,
        // Unknown visibility counts as internal, so a comment never reaches the caller by
        // mistake. `JiraIssueSync.fetch` reads comments with their properties and decides it.
        isPublic: comment.isPublic ?? false,
        backendName: BACKEND,
        backendId: comment.backendId,
        state: SyncState.OK,
        ...(comment.created ? { created: comment.created } : {}),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    if (Array.isArray(inserted.raw) && inserted.raw.length > 0) counts.commentsCreated += 1;
  }
}

/**
 * Links a Jira comment that no row of ours carries to our own comment with the same text
 * whose push has not stored its id yet. A webhook that races the push then does not add
 * the comment a second time.
 */
async function claimPushedComment(manager: EntityManager, issue: Issue, comment: JiraCommentFields): Promise<boolean> {
  const pending = await manager.findOne(Comment, {
    where: { issueId: issue.id, backendId: IsNull(), description: comment.text },
    order: { id: 'ASC' },
  });
  if (!pending) return false;
  const claimed = await manager.update(Comment, { id: pending.id, backendId: IsNull() }, { backendId: comment.backendId, backendName: BACKEND });
  return (claimed.affected ?? 0) > 0;
}
