/**
 * Headers of `GET /ticket_attachment/...`, after Zammad's HasDownload::DownloadFile and
 * Rails' `send_data`: the stored `Content-Type` (or `Mime-Type`) preference, types
 * that browsers would run served as `application/octet-stream`, and `inline` only for
 * images and PDF unless `disposition=attachment` is asked for.
 */

/** Rails 7 default `ActiveStorage.content_types_allowed_inline`. */
const INLINE_TYPES = new Set([
  'image/webp',
  'image/avif',
  'image/png',
  'image/gif',
  'image/jpeg',
  'image/tiff',
  'image/vnd.adobe.photoshop',
  'image/vnd.microsoft.icon',
  'application/pdf',
]);

/** Rails 7 default `ActiveStorage.content_types_to_serve_as_binary`. */
const BINARY_TYPES = new Set([
  'text/html',
  'image/svg+xml',
  'application/postscript',
  'application/x-shockwave-flash',
  'text/xml',
  'application/xml',
  'application/xhtml+xml',
  'application/mathml+xml',
  'text/cache-manifest',
]);

export function downloadContentType(preferences: Record<string, string | boolean>): string {
  const stored = String(preferences['Content-Type'] ?? preferences['Mime-Type'] ?? 'application/octet-stream');
  return BINARY_TYPES.has(stored.toLowerCase()) ? 'application/octet-stream' : stored;
}

/**
 * `Content-Disposition` as Rails writes it: an ASCII `filename` (accents dropped,
 * other characters percent-escaped) followed by the exact name in `filename*`.
 */
export function attachmentContentDisposition(contentType: string, requested: unknown, filename: string): string {
  const wantsAttachment = requested === 'attachment';
  const disposition = !wantsAttachment && INLINE_TYPES.has(contentType.toLowerCase()) ? 'inline' : 'attachment';
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/gu, '?');
  const traditional = percentEscape(ascii, /[^ A-Za-z0-9!#$+.^_`|~-]/);
  const extended = percentEscape(filename, /[^A-Za-z0-9!#$&+.^_`|~-]/);
  return `${disposition}; filename="${traditional}"; filename*=UTF-8''${extended}`;
}

function percentEscape(text: string, unsafe: RegExp): string {
  return [...text]
    .map((character) =>
      unsafe.test(character)
        ? [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
        : character,
    )
    .join('');
}
