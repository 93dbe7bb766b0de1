import { detectMimeType } from './mime-type';

describe('detectMimeType', () => {
  it('detects a short PDF', async () => {
    expect(await detectMimeType(Buffer.from('%PDF-1.4\n%%EOF\n'), true)).toBe('application/pdf');
  });

  it('detects PNG by its signature', async () => {
    expect(await detectMimeType(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), false)).toBe('image/png');
  });

  it('falls back to text/plain for text', async () => {
    expect(await detectMimeType(Buffer.from('just words'), true)).toBe('text/plain');
  });

  it('falls back to octet-stream for other bytes', async () => {
    expect(await detectMimeType(Buffer.from([1, 2, 3, 250]), false)).toBe('application/octet-stream');
  });

  it('treats a truncated container as unknown', async () => {
    expect(await detectMimeType(Buffer.from('OggS\u0000\u0002', 'latin1'), false)).toBe('application/octet-stream');
  });
});
