const FILE_NAME_MAX_LENGTH = 255;

/**
 * Cleans a file name that a backend sent for our attachments: NFC, no path separators or
 * control characters, at most 255 characters.
 */
export function safeFileName(name: unknown): string {
  const cleaned = Array.from(String(name ?? '').normalize('NFC'))
    .filter((character) => character.codePointAt(0)! >= 0x20 && character !== '\u007f')
    .join('')
    .replace(/[/\\]/g, '_')
    .trim();
  const fallback = cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
  if (fallback.length <= FILE_NAME_MAX_LENGTH) return fallback;
  const dot = fallback.lastIndexOf('.');
  const extension = dot > 0 && fallback.length - dot <= 16 ? fallback.slice(dot) : '';
  return fallback.slice(0, FILE_NAME_MAX_LENGTH - extension.length) + extension;
}
