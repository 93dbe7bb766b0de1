import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';

import { ConflictException, NotAuthenticatedException, NotFoundException, PermissionDeniedException, ValidationFailedException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { Paginator } from '../../common/http/pagination';
import { parseUuid } from '../../common/http/uuid';
import { SigningKeyService } from '../../settings/signing-key.service';
import type { User } from '../../identity/users/user.entity';
import { FileDownload } from '../../storage/downloads/stored-file-download';
import { FileStorage, StoredObjectNotFoundError } from '../../storage/file-storage';
import { StoredUpload } from '../../storage/uploads/stored-upload';
import { ensureStaff } from '../common/staff-only';
import { Issue } from '../issues/issue.entity';
import { TemplateAttachmentsDeleteDto } from './dto/template-attachments.dto';
import { TemplateDto } from './dto/template.dto';
import { TemplatePatchDto, TemplateWriteDto } from './dto/template-write.dto';
import { isValidTemplateAttachmentSignature } from './template-attachment-link';
import { TemplateAttachment } from './template-attachment.entity';
import { Template } from './template.entity';
import { toTemplateDto } from './template.mapper';

const MAX_ATTACHMENT_NAME_LENGTH = 150;

/** Issue templates: readable by every user, written by staff. */
@Injectable()
export class TemplatesService {
  private readonly logger = new Logger(TemplatesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signingKeys: SigningKeyService,
    private readonly storage: FileStorage,
  ) {}

  async list(paginator: Paginator, urls: ApiUrls): Promise<TemplateDto[]> {
    // Case-insensitive, so PGlite's C collation and PostgreSQL's locale collations agree.
    const query = this.dataSource
      .getRepository(Template)
      .createQueryBuilder('template')
      .orderBy('LOWER(template.name)', 'ASC')
      .addOrderBy('template.name', 'ASC')
      .addOrderBy('template.id', 'ASC');
    const templates = await paginator.paginate(query);
    const attachments = await this.attachmentsOf(this.dataSource.manager, templates);
    return templates.map((template) => toTemplateDto(template, attachments.get(template.id) ?? [], urls, this.secret()));
  }

  async retrieve(rawUuid: string, urls: ApiUrls): Promise<TemplateDto> {
    const template = await this.findTemplate(this.dataSource.manager, rawUuid);
    return this.render(template, urls);
  }

  async create(user: User, body: TemplateWriteDto, urls: ApiUrls): Promise<TemplateDto> {
    ensureStaff(user);
    const repository = this.dataSource.getRepository(Template);
    const template = await repository.save(
      repository.create({ name: body.name, description: body.description, issueType: body.issue_type ?? 'INFORMATIONAL' }),
    );
    return toTemplateDto(template, [], urls, this.secret());
  }

  async update(user: User, rawUuid: string, body: TemplatePatchDto, urls: ApiUrls): Promise<TemplateDto> {
    ensureStaff(user);
    const template = await this.findTemplate(this.dataSource.manager, rawUuid);
    if (body.name !== undefined) template.name = body.name;
    if (body.description !== undefined) template.description = body.description;
    if (body.issue_type !== undefined) template.issueType = body.issue_type;
    await this.dataSource.getRepository(Template).save(template);
    return this.render(template, urls);
  }

  /** Deletes a template that no issue uses, then its stored files. */
  async remove(user: User, rawUuid: string): Promise<void> {
    ensureStaff(user);
    const storageKeys = await this.dataSource.transaction(async (manager) => {
      const template = await this.findTemplate(manager, rawUuid, true);
      const usage = await manager.countBy(Issue, { templateId: template.id });
      if (usage > 0) throw new ConflictException(`This template is used by ${usage} issue(s) and cannot be deleted.`);

      const attachments = await manager.findBy(TemplateAttachment, { templateId: template.id });
      await manager.delete(Template, { id: template.id });
      return attachments.map((attachment) => attachment.storageKey);
    });
    await this.deleteStoredFiles(storageKeys);
  }

  /** Records files the upload interceptor stored as attachments of the template. */
  async addAttachments(user: User, rawUuid: string, uploads: StoredUpload[], urls: ApiUrls): Promise<TemplateDto> {
    ensureStaff(user);
    const template = await this.findTemplate(this.dataSource.manager, rawUuid);

    if (uploads.length === 0) throw ValidationFailedException.field('attachments', 'No file was submitted.');
    for (const upload of uploads) {
      if (upload.size === 0) throw ValidationFailedException.field('attachments', `The submitted file "${upload.fileName}" is empty.`);
      if (upload.fileName === '' || upload.fileName.length > MAX_ATTACHMENT_NAME_LENGTH) {
        throw ValidationFailedException.field('attachments', `Each file name must have 1 to ${MAX_ATTACHMENT_NAME_LENGTH} characters.`);
      }
    }

    const repository = this.dataSource.getRepository(TemplateAttachment);
    await repository.save(
      uploads.map((upload) =>
        repository.create({
          templateId: template.id,
          name: upload.fileName,
          storageKey: upload.storageKey,
          mimeType: upload.mimeType,
          fileSize: upload.size,
        }),
      ),
    );
    this.logger.log({ template: template.uuid, files: uploads.length }, 'Template attachments added');
    return this.render(template, urls);
  }

  /** Deletes the named attachments of the template; every UUID must belong to it. */
  async deleteAttachments(user: User, rawUuid: string, body: TemplateAttachmentsDeleteDto, urls: ApiUrls): Promise<TemplateDto> {
    ensureStaff(user);
    const field = body.attachment_ids !== undefined ? 'attachment_ids' : 'attachment_uuids';
    const requested = body.attachment_ids ?? body.attachment_uuids;
    if (requested === undefined) throw ValidationFailedException.field('attachment_ids', 'This field is required.');
    const uuids = requested.map((raw) => {
      const uuid = parseUuid(raw);
      if (!uuid) throw ValidationFailedException.field(field, `"${raw}" is not a valid UUID.`);
      return uuid;
    });

    const { template, storageKeys } = await this.dataSource.transaction(async (manager) => {
      const found = await this.findTemplate(manager, rawUuid, true);
      const attachments = uuids.length > 0 ? await manager.findBy(TemplateAttachment, { templateId: found.id, uuid: In(uuids) }) : [];
      const missing = uuids.filter((uuid) => !attachments.some((attachment) => attachment.uuid === uuid));
      if (missing.length > 0) {
        throw ValidationFailedException.field(field, `These attachments do not belong to this template: ${missing.map((uuid) => uuid.replace(/-/g, '')).join(', ')}.`);
      }
      if (attachments.length > 0) await manager.delete(TemplateAttachment, { id: In(attachments.map((attachment) => attachment.id)) });
      return { template: found, storageKeys: attachments.map((attachment) => attachment.storageKey) };
    });

    await this.deleteStoredFiles(storageKeys);
    return this.render(template, urls);
  }

  /**
   * Opens a template attachment for download. Any authenticated user may download it,
   * and so may anyone holding its signed link.
   */
  async openAttachmentDownload(user: User | null, rawUuid: string, signature: unknown): Promise<FileDownload> {
    const uuid = parseUuid(rawUuid);
    if (!user) {
      if (signature === undefined) throw new NotAuthenticatedException();
      if (!uuid || typeof signature !== 'string' || !isValidTemplateAttachmentSignature(this.secret(), uuid, signature)) {
        throw new PermissionDeniedException('The download signature is invalid.');
      }
    }
    if (!uuid) throw new NotFoundException();

    const attachment = await this.dataSource.getRepository(TemplateAttachment).findOneBy({ uuid });
    if (!attachment) throw new NotFoundException();
    try {
      const { stream, size } = await this.storage.open(attachment.storageKey);
      return { stream, size, mimeType: attachment.mimeType, fileName: attachment.name };
    } catch (error) {
      if (!(error instanceof StoredObjectNotFoundError)) throw error;
      this.logger.error({ templateAttachment: attachment.uuid, storageKey: attachment.storageKey }, 'The stored file of a template attachment is missing');
      throw new NotFoundException('The file of this attachment is missing.');
    }
  }

  private async render(template: Template, urls: ApiUrls): Promise<TemplateDto> {
    const attachments = await this.attachmentsOf(this.dataSource.manager, [template]);
    return toTemplateDto(template, attachments.get(template.id) ?? [], urls, this.secret());
  }

  private async findTemplate(manager: EntityManager, rawUuid: string, lock = false): Promise<Template> {
    const uuid = parseUuid(rawUuid);
    if (!uuid) throw new NotFoundException();
    const query = manager.getRepository(Template).createQueryBuilder('template').where('template.uuid = :uuid', { uuid });
    if (lock) query.setLock('pessimistic_write');
    const template = await query.getOne();
    if (!template) throw new NotFoundException();
    return template;
  }

  private async attachmentsOf(manager: EntityManager, templates: Template[]): Promise<Map<number, TemplateAttachment[]>> {
    const byTemplate = new Map<number, TemplateAttachment[]>();
    if (templates.length === 0) return byTemplate;
    const attachments = await manager.find(TemplateAttachment, {
      where: { templateId: In(templates.map((template) => template.id)) },
      order: { created: 'ASC', id: 'ASC' },
    });
    for (const attachment of attachments) {
      byTemplate.set(attachment.templateId, [...(byTemplate.get(attachment.templateId) ?? []), attachment]);
    }
    return byTemplate;
  }

  private async deleteStoredFiles(storageKeys: string[]): Promise<void> {
    for (const storageKey of storageKeys) {
      try {
        await this.storage.delete(storageKey);
      } catch (error) {
        this.logger.error({ err: error, storageKey }, 'Could not delete the stored file of a deleted template attachment');
      }
    }
  }

  private secret(): string {
    return this.signingKeys.currentKey();
  }
}
