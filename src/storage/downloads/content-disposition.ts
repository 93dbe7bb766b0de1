/**
 * Builds an RFC 6266 `Content-Disposition: attachment` value: an ASCII `filename` for old
 * clients and the exact name as UTF-8 in `filename*` (RFC 8187).
 */
export function attachmentDisposition(fileName: string): string {
  return `attachment; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}

/** Drops accents ("é" becomes "e") and turns every other non-printable-ASCII, quote or backslash into "_". */
export function asciiFallback(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/gu, '_');
  return ascii.trim() === '' ? 'download' : ascii;
}

/** Percent-encodes everything outside RFC 8187's attr-char set. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
