import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import {
  ConflictException,
  FailedDependencyException,
  NotFoundException,
  PermissionDeniedException,
  ValidationFailedException,
} from '../../common/errors/app.exception';
import { ApiUrls, uuidFromHyperlink } from '../../common/http/api-urls';
import { Paginator } from '../../common/http/pagination';
import { parseUuid } from '../../common/http/uuid';
import type { User } from '../../identity/users/user.entity';
import { FileDownload } from '../../storage/downloads/stored-file-download';
import { FileStorage, StoredObjectNotFoundError } from '../../storage/file-storage';
import { StoredUpload } from '../../storage/uploads/stored-upload';
import { BackendWrites, PendingPushes } from '../backends/backend-writes.service';
import { SupportBackend } from '../backends/support-backend';
import { readableCommentCondition } from '../comments/comment-visibility';
import { Issue } from '../issues/issue.entity';
import { restrictToVisibleIssues } from '../issues/issue-visibility';
import { mayDeleteAttachment, restrictToAttachmentIssues } from './attachment-access';
import { findOrCreateAuthor } from './attachment-author';
import { Attachment } from './attachment.entity';
import { restrictFields, toAttachmentDto } from './attachment.mapper';
import { AttachmentCreateDto } from './dto/attachment-create.dto';
import { AttachmentFieldQueryDto, AttachmentListQueryDto } from './dto/attachment-list-query.dto';
import { AttachmentDto } from './dto/attachment.dto';

const MAX_FILE_NAME_LENGTH = 255;

@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
    private readonly backend: SupportBackend,
    private readonly writes: BackendWrites,
  ) {}

  async list(user: User, query: AttachmentListQueryDto, paginator: Paginator, urls: ApiUrls): Promise<Partial<AttachmentDto>[]> {
    const builder = this.visibleAttachments(this.dataSource.manager, user).orderBy('attachment.created', 'ASC').addOrderBy('attachment.id', 'ASC');

    if (query.issue !== undefined) {
      const issueUuid = uuidFromHyperlink(query.issue, 'support-issues');
      if (!issueUuid) throw ValidationFailedException.field('issue', 'Invalid hyperlink - No URL match.');
      builder.andWhere('issue.uuid = :issueUuid', { issueUuid });
    }
    if (query.issue_uuid !== undefined) {
      const issueUuid = parseUuid(query.issue_uuid);
      if (!issueUuid) throw ValidationFailedException.field('issue_uuid', 'Enter a valid UUID.');
      builder.andWhere('issue.uuid = :issueUuidParam', { issueUuidParam: issueUuid });
    }

    const attachments = await paginator.paginate(builder);
    return attachments.map((attachment) => restrictFields(toAttachmentDto(attachment, attachment.issue, urls, this.backend), query.field));
  }

  async retrieve(user: User, rawUuid: string, query: AttachmentFieldQueryDto, urls: ApiUrls): Promise<Partial<AttachmentDto>> {
    const attachment = await this.findVisible(this.dataSource.manager, user, rawUuid);
    return restrictFields(toAttachmentDto(attachment, attachment.issue, urls, this.backend), query.field);
  }

  /**
   * Records an uploaded file as an attachment of an issue and hands it to the backend in
   * the same transaction. The interceptor already stored the bytes, and it deletes them
   * again if this throws.
   */
  async create(user: User, body: AttachmentCreateDto, upload: StoredUpload | undefined, urls: ApiUrls): Promise<AttachmentDto> {
    const issue = await this.findIssueForUpload(user, body.issue);

    if (!upload) throw ValidationFailedException.field('file', 'No file was submitted.');
    if (upload.size === 0) throw ValidationFailedException.field('file', 'The submitted file is empty.');
    if (upload.fileName === '') throw ValidationFailedException.field('file', 'The submitted file has no name.');
    if (upload.fileName.length > MAX_FILE_NAME_LENGTH) {
      throw ValidationFailedException.field('file', `Ensure this filename has at most ${MAX_FILE_NAME_LENGTH} characters (it has ${upload.fileName.length}).`);
    }
    this.ensureBackendIsActive(issue);
    if (!this.backend.attachmentCreateIsAvailable(issue)) {
      throw ValidationFailedException.nonField('Attachments cannot be added to this issue.');
    }

    const content = await this.storage.readAll(upload.storageKey);
    const pending = new PendingPushes();
    const attachment = await this.dataSource.transaction(async (manager) => {
      const author = await findOrCreateAuthor(manager, user, issue.backendName ?? this.backend.name);
      const created = await manager.save(
        manager.create(Attachment, {
          issueId: issue.id,
          authorId: author.id,
          fileName: upload.fileName,
          mimeType: upload.mimeType,
          fileSize: upload.size,
          sha256: upload.sha256,
          storageKey: upload.storageKey,
          backendName: issue.backendName ?? this.backend.name,
        }),
      );
      await this.writes.attachmentCreated(manager, this.backend, issue, created, content, pending);
      return created;
    });
    await this.writes.afterCommit(pending);

    this.logger.log({ attachment: attachment.uuid, issue: issue.uuid, size: attachment.fileSize }, 'Attachment added');
    return toAttachmentDto(attachment, issue, urls, this.backend);
  }

  /** Deletes the attachment here and in the backend; the stored file goes after the commit. */
  async remove(user: User, rawUuid: string): Promise<void> {
    const attachment = await this.findVisible(this.dataSource.manager, user, rawUuid);
    const issue = attachment.issue;

    if (!(await mayDeleteAttachment(this.dataSource.manager, user, attachment, issue))) {
      throw new PermissionDeniedException('Only staff, the uploader and owners of the issue\'s organization may delete an attachment.');
    }
    this.ensureBackendIsActive(issue);
    if (!this.backend.attachmentDestroyIsAvailable(attachment, issue)) {
      throw ValidationFailedException.nonField('This attachment cannot be deleted.');
    }

    const pending = new PendingPushes();
    await this.dataSource.transaction(async (manager) => {
      await this.writes.attachmentDeleted(manager, this.backend, issue, attachment, pending);
      await manager.delete(Attachment, { id: attachment.id });
    });
    await this.writes.afterCommit(pending);

    if (attachment.storageKey) await this.deleteStoredFile(attachment.storageKey, attachment.uuid);
    this.logger.log({ attachment: attachment.uuid, issue: issue.uuid }, 'Attachment deleted');
  }

  async openDownload(user: User, rawUuid: string): Promise<FileDownload> {
    const attachment = await this.findVisible(this.dataSource.manager, user, rawUuid);
    if (!attachment.storageKey) {
      throw new FailedDependencyException('The file of this attachment is still held by the backend and has not been downloaded yet.');
    }
    try {
      const { stream, size } = await this.storage.open(attachment.storageKey);
      return { stream, size, mimeType: attachment.mimeType, fileName: attachment.fileName };
    } catch (error) {
      if (!(error instanceof StoredObjectNotFoundError)) throw error;
      this.logger.error({ attachment: attachment.uuid, storageKey: attachment.storageKey }, 'The stored file of an attachment is missing');
      throw new NotFoundException('The file of this attachment is missing.');
    }
  }

  /**
   * Attachments of the issues whose files `user` may see, without the files of comments
   * `user` may not read. The comment rule decides, and a file whose comment was deleted
   * stays hidden from everyone but staff and support.
   */
  private visibleAttachments(manager: EntityManager, user: User): SelectQueryBuilder<Attachment> {
    const builder = manager
      .getRepository(Attachment)
      .createQueryBuilder('attachment')
      .innerJoinAndSelect('attachment.issue', 'issue')
      .leftJoinAndSelect('attachment.author', 'author');
    restrictToAttachmentIssues(builder, 'issue', user);

    const readable = readableCommentCondition(user, { comment: 'sourceComment', author: 'sourceCommentAuthor' });
    if (readable) {
      builder
        .leftJoin('attachment.comment', 'sourceComment')
        .leftJoin('sourceComment.author', 'sourceCommentAuthor')
        .andWhere(`(attachment.commentId IS NULL OR ${readable.sql})`, readable.parameters);
    }
    return builder;
  }

  private async findVisible(manager: EntityManager, user: User, rawUuid: string): Promise<Attachment> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    const attachment = await this.visibleAttachments(manager, user).andWhere('attachment.uuid = :uuid', { uuid }).getOne();
    if (!attachment) throw new NotFoundException();
    return attachment;
  }

  /**
   * Resolves the `issue` hyperlink of an upload. An issue the caller cannot see reads as
   * missing (400), so the response does not reveal that it exists; a visible issue whose
   * attachments the caller may not touch is 403.
   */
  private async findIssueForUpload(user: User, hyperlink: string): Promise<Issue> {
    const uuid = uuidFromHyperlink(hyperlink, 'support-issues');
    if (!uuid) throw ValidationFailedException.field('issue', 'Invalid hyperlink - No URL match.');

    const byUuid = () => this.dataSource.getRepository(Issue).createQueryBuilder('issue').where('issue.uuid = :uuid', { uuid });
    const issue = await restrictToAttachmentIssues(byUuid(), 'issue', user).getOne();
    if (issue) return issue;

    const visible = await restrictToVisibleIssues(byUuid(), 'issue', user).getExists();
    if (visible) throw new PermissionDeniedException('You may not add attachments to this issue.');
    throw ValidationFailedException.field('issue', 'Invalid hyperlink - Object does not exist.');
  }

  private ensureBackendIsActive(issue: Issue): void {
    if (issue.backendName && issue.backendName !== this.backend.name) {
      throw new ConflictException(
        `This issue is kept in the ${issue.backendName} backend, but the active backend is ${this.backend.name}; its attachments cannot change until ${issue.backendName} is active again.`,
      );
    }
  }

  private async deleteStoredFile(storageKey: string, attachmentUuid: string): Promise<void> {
    try {
      await this.storage.delete(storageKey);
    } catch (error) {
      this.logger.error({ err: error, attachment: attachmentUuid, storageKey }, 'Could not delete the stored file of a deleted attachment');
    }
  }
}
