import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';
import { TemplateAttachmentDto, TemplateDto } from './dto/template.dto';
import { templateAttachmentDownloadUrl } from './template-attachment-link';
import type { TemplateAttachment } from './template-attachment.entity';
import type { Template } from './template.entity';

export function toTemplateDto(template: Template, attachments: TemplateAttachment[], urls: ApiUrls, secret: string): TemplateDto {
  return {
    url: urls.detail('support-templates', template.uuid),
    uuid: formatUuid(template.uuid),
    name: template.name,
    description: template.description,
    issue_type: template.issueType,
    attachments: attachments.map((attachment) => toTemplateAttachmentDto(attachment, urls, secret)),
  };
}

function toTemplateAttachmentDto(attachment: TemplateAttachment, urls: ApiUrls, secret: string): TemplateAttachmentDto {
  return {
    uuid: formatUuid(attachment.uuid),
    name: attachment.name,
    file: templateAttachmentDownloadUrl(urls, secret, attachment.uuid),
    mime_type: attachment.mimeType,
    file_size: attachment.fileSize,
    created: attachment.created.toISOString(),
  };
}
