import { safeFileName } from './file-names';

describe('safeFileName', () => {
  it('normalizes to NFC without separators', () => {
    expect(safeFileName('U\u0308bersicht/2024\\bericht.txt')).toBe('Übersicht_2024_bericht.txt');
  });

  it('drops line breaks and control characters', () => {
    expect(safeFileName('../../../etc/cron.d/x\r\nInjected: 1')).toBe('.._.._.._etc_cron.d_xInjected: 1');
  });

  it('replaces an empty or dot-only name', () => {
    expect(safeFileName('')).toBe('attachment');
    expect(safeFileName('..')).toBe('attachment');
  });

  it('shortens long names and keeps the extension', () => {
    const name = safeFileName(`${'x'.repeat(300)}.pdf`);
    expect(name).toHaveLength(255);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});
