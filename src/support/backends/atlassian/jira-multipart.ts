import { randomBytes } from 'node:crypto';

/** Maximum length of a file name Jira stores, in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 252;

/**
 * Prepares a file name for Jira: Unicode NFD (as Jira Data Center stores names) and at
 * most 252 UTF-8 bytes. The stem (text before the first dot) is shortened by whole
 * characters so the extensions survive. Throws when not even one stem character fits.
 */
export function jiraFileName(fileName: string): string {
  const normalized = fileName.normalize('NFD').replace(/[\r\n"]/g, '_');
  if (Buffer.byteLength(normalized, 'utf8') <= MAX_FILE_NAME_BYTES) return normalized;

  const dot = normalized.indexOf('.');
  const stem = dot === -1 ? normalized : normalized.slice(0, dot);
  const extensions = dot === -1 ? '' : normalized.slice(dot);
  const room = MAX_FILE_NAME_BYTES - Buffer.byteLength(extensions, 'utf8');
  const characters = [...stem];
  let kept = '';
  for (const character of characters) {
    if (Buffer.byteLength(kept + character, 'utf8') > room) break;
    kept += character;
  }
  if (!kept) throw new Error(`The file name "${fileName}" is too long for Jira even with its stem cut to one character.`);
  return kept + extensions;
}

/**
 * Builds a `multipart/form-data` body with one part named `file`. The file name goes
 * into `filename="..."` as raw UTF-8, because Jira Data Center returns 500 for the
 * RFC 2231 `filename*=` form that generic encoders use for non-ASCII names.
 */
export function buildAttachmentMultipart(fileName: string, content: Buffer, mimeType: string): { body: Buffer; contentType: string } {
  const boundary = `----deskbridge-${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    `Content-Type: ${mimeType || 'application/octet-stream'}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(tail, 'utf8')]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * Checks a file name against `ATLASSIAN_EXCLUDED_ATTACHMENT_TYPES`, a comma-separated
 * list of extensions (with or without the dot, any case).
 */
export function isExcludedAttachment(fileName: string, excludedTypes: string[]): boolean {
  const lower = fileName.toLowerCase();
  return excludedTypes.some((type) => {
    const extension = type.trim().toLowerCase().replace(/^\.+/, '');
    return extension !== '' && lower.endsWith(`.${extension}`);
  });
}
