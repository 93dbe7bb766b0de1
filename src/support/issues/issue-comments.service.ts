import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { PermissionDeniedException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import type { User } from '../../identity/users/user.entity';
import { linkFilesReferencedByComments } from '../attachments/attachment-comment-links';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackendProvider } from '../backends/support-backend.provider';
import { Comment } from '../comments/comment.entity';
import { CommentResponse, toCommentResponse } from '../comments/comment.mapper';
import { CommentCreateDto } from '../comments/dto/comment.dto';
import { SupportUsersService } from '../support-users/support-users.service';
import { IssueAccessService } from './issue-access.service';
import { IssuesRepository } from './issues.repository';

/** The issue `comment` action: adds a comment authored by the requester's helpdesk account. */
@Injectable()
export class IssueCommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly issues: IssuesRepository,
    private readonly access: IssueAccessService,
    private readonly backends: SupportBackendProvider,
    private readonly supportUsers: SupportUsersService,
    private readonly writes: BackendWrites,
  ) {}

  async create(viewer: User, issueUuid: string, body: CommentCreateDto, urls: ApiUrls): Promise<CommentResponse> {
    const issue = await this.issues.findVisible(viewer, issueUuid);
    if (!(await this.access.mayComment(viewer, issue))) throw new PermissionDeniedException();
    const backend = this.backends.forIssue(issue);
    if (!backend.commentCreateIsAvailable(issue)) throw ValidationFailedException.nonField('Adding comments to this issue is not available.');
    const description = body.description.trim();
    if (!description) throw ValidationFailedException.field('description', 'This field may not be blank.');

    const pending = new PendingPushes();
    const comment = await this.dataSource.transaction(async (manager) => {
      const author = await this.supportUsers.getOrCreateForUser(manager, viewer, backend.name);
      const created = await manager.save(
        manager.create(Comment, {
          issueId: issue.id,
          authorId: author.id,
          description,
          isPublic: body.is_public ?? true,
          remoteId: body.remote_id || null,
          backendName: backend.name,
        }),
      );
      // HomePort uploads files first and then names them in the comment it posts, so this is
      // where a file of an internal comment becomes internal too.
      await linkFilesReferencedByComments(manager, issue.id);
      await this.writes.commentCreated(manager, backend, issue, created, pending);
      return Object.assign(created, { author });
    });
    await this.writes.afterCommit(pending);
    // Read again, because a push that finished within the wait stored the backend's id and
    // may have changed the issue's key. A comment deleted meanwhile is shown as created.
    const stored = await this.dataSource.getRepository(Comment).findOne({ where: { id: comment.id }, relations: { author: { user: true }, issue: true } });
    return stored ? toCommentResponse(stored, stored.issue, urls, backend) : toCommentResponse(comment, issue, urls, backend);
  }
}
