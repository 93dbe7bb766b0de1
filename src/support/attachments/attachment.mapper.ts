import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';
import { SupportBackend } from '../backends/support-backend';
import type { Issue } from '../issues/issue.entity';
import type { Attachment } from './attachment.entity';
import type { AttachmentDto } from './dto/attachment.dto';

export const ATTACHMENT_FIELDS = [
  'backend_id',
  'created',
  'destroy_is_available',
  'file',
  'file_name',
  'file_size',
  'issue',
  'issue_key',
  'mime_type',
  'url',
  'uuid',
] as const;

/** Path of an attachment's download route, below `/api/`. */
export function attachmentDownloadUrl(urls: ApiUrls, uuid: string): string {
  return `${urls.detail('support-attachments', uuid)}download/`;
}

export function toAttachmentDto(attachment: Attachment, issue: Issue, urls: ApiUrls, backend: SupportBackend): AttachmentDto {
  return {
    url: urls.detail('support-attachments', attachment.uuid),
    uuid: formatUuid(attachment.uuid),
    issue: urls.detail('support-issues', issue.uuid),
    issue_key: issue.key,
    created: attachment.created.toISOString(),
    file: attachment.storageKey ? attachmentDownloadUrl(urls, attachment.uuid) : null,
    mime_type: attachment.mimeType,
    file_size: attachment.fileSize,
    file_name: attachment.fileName,
    backend_id: attachment.backendId,
    destroy_is_available: backend.attachmentDestroyIsAvailable(attachment, issue),
  };
}

/**
 * Keeps only the fields named by repeated `field=` parameters (commas work too); unknown
 * names are ignored, and no valid name at all means every field.
 */
export function restrictFields<T extends object>(value: T, requested: string | string[] | undefined): Partial<T> {
  if (requested === undefined) return value;
  const entries = Array.isArray(requested) ? requested : [requested];
  const names = entries
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry in value);
  if (names.length === 0) return value;
  return Object.fromEntries(names.map((name) => [name, value[name as keyof T]])) as Partial<T>;
}
