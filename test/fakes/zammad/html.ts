/**
 * HTML handling for `text/html` article bodies.
 *
 * NOTE: Zammad's HtmlSanitizer does much more (allow-lists of tags, attributes and
 * styles). This covers what integrations usually trip over: scripts and styles are
 * removed, event-handler attributes and `javascript:` links are dropped.
 */
export function sanitizeHtml(body: string): string {
  return body
    .replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s+(href|src)\s*=\s*("\s*javascript:[^"]*"|'\s*javascript:[^']*')/gi, '');
}

export interface InlineImage {
  mimeType: string;
  data: Buffer;
  filename: string;
}

/**
 * Replaces each `<img src="data:<type>;base64,...">` with the URL returned by
 * `storeImage`, as Zammad turns inline images into attachments that the body links to
 * with `/api/v1/ticket_attachment/...?view=inline`.
 */
export function replaceInlineImages(body: string, storeImage: (image: InlineImage) => string): string {
  let count = 0;
  return body.replace(
    /(<img\b[^>]*?\bsrc\s*=\s*["'])data:([\w.+-]+\/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)(["'])/gi,
    (_match, prefix: string, mimeType: string, data: string, quote: string) => {
      count += 1;
      const extension = mimeType.split('/')[1]?.replace('svg+xml', 'svg') ?? 'bin';
      const url = storeImage({
        mimeType,
        data: Buffer.from(data.replace(/\s/g, ''), 'base64'),
        filename: `image${count}.${extension}`,
      });
      return `${prefix}${url}${quote}`;
    },
  );
}
