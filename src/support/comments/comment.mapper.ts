import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';
import type { SupportBackend } from '../backends/support-backend';
import type { Issue } from '../issues/issue.entity';
import type { Comment } from './comment.entity';

export interface CommentResponse {
  url: string;
  uuid: string;
  issue: string;
  issue_key: string;
  description: string;
  is_public: boolean;
  author_name: string;
  author_uuid: string | null;
  author_user: string | null;
  author_email: string | null;
  backend_id: string | null;
  remote_id: string | null;
  created: Date;
  modified: Date;
  update_is_available: boolean;
  destroy_is_available: boolean;
}

/**
 * Renders a comment as Waldur's `Comment` schema. The comment must be loaded with its author
 * and the author's user. The user fields `author_uuid`, `author_user` and `author_email` are
 * null for backend agents that are linked to no user, but `author_name` is always a string.
 */
export function toCommentResponse(comment: Comment, issue: Issue, urls: ApiUrls, backend: SupportBackend): CommentResponse {
  const served = !issue.backendName || issue.backendName === backend.name;
  const user = comment.author.user;
  return {
    url: urls.detail('support-comments', comment.uuid),
    uuid: formatUuid(comment.uuid),
    issue: urls.detail('support-issues', issue.uuid),
    issue_key: issue.key,
    description: comment.description,
    is_public: comment.isPublic,
    author_name: comment.author.name ?? '',
    author_uuid: user ? formatUuid(user.uuid) : null,
    author_user: user ? urls.detail('users', user.uuid) : null,
    author_email: user ? user.email : null,
    backend_id: comment.backendId,
    remote_id: comment.remoteId,
    created: comment.created,
    modified: comment.modified,
    update_is_available: served && backend.commentUpdateIsAvailable(comment, issue),
    destroy_is_available: served && backend.commentDestroyIsAvailable(comment, issue),
  };
}
