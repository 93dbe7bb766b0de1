import { createHmac, timingSafeEqual } from 'node:crypto';

import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';

/**
 * Signs a template attachment's download link. HomePort shows template files as plain
 * links without the Token header, so the link carries an HMAC of the attachment UUID.
 * The signature does not expire, and it stops working when the attachment is deleted.
 */
export function templateAttachmentSignature(secret: string, attachmentUuid: string): string {
  return createHmac('sha256', secret).update(`template-attachment:${formatUuid(attachmentUuid)}`).digest('base64url');
}

export function isValidTemplateAttachmentSignature(secret: string, attachmentUuid: string, signature: string): boolean {
  const expected = Buffer.from(templateAttachmentSignature(secret, attachmentUuid));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function templateAttachmentDownloadUrl(urls: ApiUrls, secret: string, attachmentUuid: string): string {
  const signature = templateAttachmentSignature(secret, attachmentUuid);
  return `${urls.detail('support-template-attachments', attachmentUuid)}download/?signature=${signature}`;
}
