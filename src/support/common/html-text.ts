/**
 * Conversions between the HTML bodies of Zammad and SMAX and the plain text our API
 * serves. `htmlToText` keeps the words and the line structure and drops every element of
 * the input, with the content of scripts and styles. It decodes entities, so escaped
 * markup such as `&lt;script&gt;` comes out as the literal text `<script>`. The result is
 * plain text, not HTML: a client that puts it into a page escapes it like any other text.
 */

/** Elements whose content is never text: dropped with everything inside them. */
const HIDDEN_ELEMENTS = ['script', 'style', 'head', 'title', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'select', 'textarea'];

/** Elements that start and end a line. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

/** Block elements that also leave a blank line around them. */
const PARAGRAPH_ELEMENTS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '', ensp: ' ', emsp: ' ', thinsp: ' ',
  ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', hellip: '…',
  bull: '•', middot: '·', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§',
  para: '¶', deg: '°', plusmn: '±', times: '×', divide: '÷', laquo: '«', raquo: '»', iexcl: '¡', iquest: '¿',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è',
  ecirc: 'ê', aacute: 'á', agrave: 'à', acirc: 'â', ccedil: 'ç', oacute: 'ó', uacute: 'ú', iacute: 'í', ntilde: 'ñ',
  Eacute: 'É', aring: 'å', Aring: 'Å', oslash: 'ø', Oslash: 'Ø', aelig: 'æ', AElig: 'Æ', zwj: '', zwnj: '',
};

/** Converts an HTML body to plain text: block elements become lines, links keep their address. */
export function htmlToText(html: string): string {
  const cleaned = removeHiddenContent(html);
  let output = '';
  const links: Array<{ href: string; start: number }> = [];
  let preDepth = 0;

  const tokens = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!?\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|</g;
  for (const match of cleaned.matchAll(tokens)) {
    const [token, rawName, attributes, text] = match;
    if (text !== undefined || token === '<') {
      const decoded = decodeEntities(text ?? token);
      output += preDepth > 0 ? decoded : decoded.replace(/[ \t\r\n\f]+/g, ' ');
      continue;
    }
    if (rawName === undefined || token.startsWith('<!')) continue;

    const name = rawName.toLowerCase();
    const closing = token.startsWith('</');
    if (name === 'br') {
      output += '\n';
    } else if (name === 'img' && !closing) {
      output += attributeOf(attributes, 'alt') ?? '';
    } else if (name === 'a') {
      if (!closing) links.push({ href: attributeOf(attributes, 'href') ?? '', start: output.length });
      else output += linkTarget(output, links.pop());
    } else if (BLOCK_ELEMENTS.has(name)) {
      if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
      output = withLineBreaks(output, PARAGRAPH_ELEMENTS.has(name) ? 2 : 1);
      if (name === 'li' && !closing) output += '- ';
      if ((name === 'td' || name === 'th') && closing) output += ' ';
    }
  }
  return tidyLines(output);
}

/** Escapes plain text for an HTML body and turns its line breaks into `<br>`. */
export function textToHtml(text: string): string {
  return escapeHtml(text.replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Collapses all whitespace, for comparing two renderings of the same words. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function removeHiddenContent(html: string): string {
  let result = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const name of HIDDEN_ELEMENTS) {
    result = result.replace(new RegExp(`<${name}\\b[\\s\\S]*?<\\/${name}\\s*>`, 'gi'), ' ');
    result = result.replace(new RegExp(`<${name}\\b[^>]*\\/?>`, 'gi'), ' ');
  }
  return result;
}

/**
 * Text to add after a link: its address in brackets when the label differs from it, the
 * address alone when there is no label. Only http, https and mailto addresses are shown.
 */
function linkTarget(output: string, link: { href: string; start: number } | undefined): string {
  if (!link || !/^(https?:|mailto:)/i.test(link.href.trim())) return '';
  const href = link.href.trim();
  const label = output.slice(link.start).trim();
  const address = href.replace(/^mailto:/i, '');
  if (label === '') return address;
  return label === href || label === address ? '' : ` (${address})`;
}

/** Ends the output with at least `count` line breaks, ignoring trailing spaces; nothing at the start. */
function withLineBreaks(output: string, count: number): string {
  const trimmed = output.replace(/[ \t]+$/, '');
  if (trimmed === '') return trimmed;
  const present = /\n*$/.exec(trimmed)![0].length;
  return present >= count ? trimmed : trimmed + '\n'.repeat(count - present);
}

function attributeOf(attributes: string | undefined, name: string): string | undefined {
  if (!attributes) return undefined;
  const pattern = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
  const match = pattern.exec(attributes);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return isPrintableCodePoint(code) ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

function isPrintableCodePoint(code: number): boolean {
  if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
  return code === 0x0a || code === 0x09 || code >= 0x20;
}

/** Trims each line, keeps at most one blank line in a row and removes control characters. */
function tidyLines(text: string): string {
  const lines = withoutControlCharacters(text)
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/g, '').replace(/^ +/, ''));
  const result: string[] = [];
  for (const line of lines) {
    if (line === '' && (result.length === 0 || result[result.length - 1] === '')) continue;
    result.push(line);
  }
  while (result.length > 0 && result[result.length - 1] === '') result.pop();
  return result.join('\n');
}

/** Drops C0 and C1 control characters except tab and line feed. */
function withoutControlCharacters(text: string): string {
  let result = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code === 0x09 || code === 0x0a || (code >= 0x20 && code < 0x7f) || code > 0x9f) result += character;
  }
  return result;
}
