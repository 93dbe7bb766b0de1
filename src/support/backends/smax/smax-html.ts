/**
 * HTML helpers for SMAX, which keeps descriptions and comments as HTML and drops plain
 * newlines, so text is converted before it is sent.
 */

import { htmlToText } from '../../common/html-text';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** A start or end tag, a comment or a character reference: what makes a body HTML. */
const HTML_MARKUP = /<\/?[a-z][a-z0-9-]*(?:\s[^>]*)?\/?>|<!--|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Decodes the named entities above and numeric entities; other named entities stay as written. */
export function unescapeHtml(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/**
 * Returns the plain text our API serves for a SMAX description or comment body. HTML is
 * reduced to its words and lines by `htmlToText`, so no tag, script or style of it is
 * served. A body without any markup is plain text already and keeps its line breaks.
 */
export function bodyText(body: string): string {
  return HTML_MARKUP.test(body) ? htmlToText(body) : body.replace(/\r\n?/g, '\n').trim();
}

/**
 * Converts plain text to HTML: blank lines separate paragraphs and single newlines become
 * `<br>`. An empty text gives an empty string.
 */
export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  return paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`).join('');
}

/**
 * Reduces HTML to its visible text with whitespace collapsed, to compare two bodies after
 * SMAX reformatted or re-escaped one of them.
 */
export function comparableText(html: string): string {
  const withBreaks = html.replace(/<\s*(br|\/p|\/div|\/li)\b[^>]*>/gi, '\n');
  return unescapeHtml(withBreaks.replace(/<[^>]*>/g, ''))
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Undoes the HTML escaping SMAX applies to comment bodies inside a Request's `Comments`
 * property. A body is taken as escaped only when it has no raw tag but has an escaped one,
 * so a body that SMAX sent unescaped keeps its literal `&lt;`.
 */
export function unescapeEmbeddedBody(body: string): string {
  return !/<[a-z/!]/i.test(body) && /&lt;[a-z/!]/i.test(body) ? unescapeHtml(body) : body;
}
