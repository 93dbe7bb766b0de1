import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';

import { NotFoundException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { applyOrdering } from '../../common/http/ordering';
import { Paginator } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { linkFilesReferencedByComments } from '../attachments/attachment-comment-links';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackendProvider } from '../backends/support-backend.provider';
import { requireHyperlinkUuid, requireUuid } from '../common/hyperlinks';
import { containsPattern } from '../common/like-pattern';
import { assertStaff } from '../common/support-roles';
import { IssueAccessService } from '../issues/issue-access.service';
import { Comment } from './comment.entity';
import { readableCommentCondition } from './comment-visibility';
import { CommentResponse, toCommentResponse } from './comment.mapper';
import { CommentPatchDto, CommentQueryDto } from './dto/comment.dto';

/**
 * Comments of the issues a user may see. Internal comments are shown to staff, to global
 * support and to their own author; edits and deletions are for staff only. That role check
 * runs before the lookup, so everyone else gets 403 whether or not they can see the comment.
 */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: IssueAccessService,
    private readonly backends: SupportBackendProvider,
    private readonly writes: BackendWrites,
  ) {}

  async list(viewer: User, query: CommentQueryDto, paginator: Paginator, urls: ApiUrls): Promise<CommentResponse[]> {
    const builder = this.visibleTo(viewer);
    this.applyFilters(builder, query);
    applyOrdering(builder, query.o, { created: 'comment.created', modified: 'comment.modified' }, ['-created']);
    const rows = await paginator.paginate(builder);
    const backend = this.backends.current();
    return rows.map((comment) => toCommentResponse(comment, comment.issue, urls, backend));
  }

  async retrieve(viewer: User, uuid: string, urls: ApiUrls): Promise<CommentResponse> {
    const comment = await this.findVisible(viewer, uuid);
    return toCommentResponse(comment, comment.issue, urls, this.backends.current());
  }

  async update(viewer: User, uuid: string, body: CommentPatchDto, urls: ApiUrls): Promise<CommentResponse> {
    assertStaff(viewer);
    const comment = await this.findVisible(viewer, uuid);
    const backend = this.backends.forIssue(comment.issue);
    if (!backend.commentUpdateIsAvailable(comment, comment.issue)) {
      throw ValidationFailedException.nonField('Updating this comment is not available.');
    }
    if (body.description !== undefined) {
      const description = body.description.trim();
      if (!description) throw ValidationFailedException.field('description', 'This field may not be blank.');
      comment.description = description;
    }
    if (body.is_public !== undefined) comment.isPublic = body.is_public;

    const pending = new PendingPushes();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Comment, { id: comment.id }, { description: comment.description, isPublic: comment.isPublic });
      await linkFilesReferencedByComments(manager, comment.issueId);
      await this.writes.commentUpdated(manager, backend, comment.issue, comment, pending);
    });
    await this.writes.afterCommit(pending);
    return this.retrieve(viewer, uuid, urls);
  }

  async destroy(viewer: User, uuid: string): Promise<void> {
    assertStaff(viewer);
    const comment = await this.findVisible(viewer, uuid);
    const backend = this.backends.forIssue(comment.issue);
    if (!backend.commentDestroyIsAvailable(comment, comment.issue)) {
      throw ValidationFailedException.nonField('Deleting this comment is not available.');
    }
    const pending = new PendingPushes();
    await this.dataSource.transaction(async (manager) => {
      await this.writes.commentDeleted(manager, backend, comment.issue, comment, pending);
      await manager.delete(Comment, { id: comment.id });
    });
    await this.writes.afterCommit(pending);
  }

  private async findVisible(viewer: User, uuid: string): Promise<Comment> {
    const comment = await this.visibleTo(viewer).andWhere('comment.uuid = :uuid', { uuid }).getOne();
    if (!comment) throw new NotFoundException();
    return comment;
  }

  private visibleTo(viewer: User): SelectQueryBuilder<Comment> {
    const builder = this.dataSource
      .getRepository(Comment)
      .createQueryBuilder('comment')
      .innerJoinAndSelect('comment.issue', 'issue')
      .innerJoinAndSelect('comment.author', 'author')
      .leftJoinAndSelect('author.user', 'authorUser');
    this.access.restrictToVisible(builder, viewer, 'issue');
    const readable = readableCommentCondition(viewer, { comment: 'comment', author: 'author' });
    if (readable) builder.andWhere(readable.sql, readable.parameters);
    return builder;
  }

  private applyFilters(builder: SelectQueryBuilder<Comment>, query: CommentQueryDto): void {
    if (query.description) builder.andWhere('comment.description ILIKE :description', { description: containsPattern(query.description) });
    if (query.issue) builder.andWhere('issue.uuid = :issueLink', { issueLink: requireHyperlinkUuid(query.issue, 'support-issues', 'issue') });
    if (query.issue_uuid) builder.andWhere('issue.uuid = :issueUuid', { issueUuid: requireUuid(query.issue_uuid, 'issue_uuid') });
    if (query.author_name) builder.andWhere('author.name ILIKE :authorName', { authorName: containsPattern(query.author_name) });
    if (query.author_user) {
      builder.andWhere('authorUser.uuid = :authorUser', { authorUser: requireHyperlinkUuid(query.author_user, 'users', 'author_user') });
    }
    if (query.is_public !== undefined) builder.andWhere('comment.isPublic = :isPublic', { isPublic: query.is_public });
    if (query.remote_id_is_set === true) builder.andWhere("comment.remoteId IS NOT NULL AND comment.remoteId <> ''");
    if (query.remote_id_is_set === false) builder.andWhere("(comment.remoteId IS NULL OR comment.remoteId = '')");
    if (query.resource) {
      builder
        .innerJoin('issue.resource', 'resource')
        .andWhere('resource.uuid = :resourceUuid', { resourceUuid: requireHyperlinkUuid(query.resource, 'marketplace-resources', 'resource') });
    }
  }
}
