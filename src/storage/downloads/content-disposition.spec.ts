import { asciiFallback, attachmentDisposition } from './content-disposition';

describe('attachmentDisposition', () => {
  it('keeps a plain ASCII name in both parameters', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  });

  it('encodes a Unicode name for filename*', () => {
    expect(attachmentDisposition('Größe 😀.txt')).toBe(`attachment; filename="Gro_e _.txt"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%F0%9F%98%80.txt`);
  });

  it('escapes quotes and RFC 8187 reserved characters', () => {
    expect(attachmentDisposition(`it's "(1)*".txt`)).toBe(`attachment; filename="it's _(1)*_.txt"; filename*=UTF-8''it%27s%20%22%281%29%2A%22.txt`);
  });
});

describe('asciiFallback', () => {
  it('drops accents', () => {
    expect(asciiFallback('café crème.txt')).toBe('cafe creme.txt');
  });

  it('replaces a backslash', () => {
    expect(asciiFallback('a\\b.txt')).toBe('a_b.txt');
  });

  it('falls back to a generic name for blank input', () => {
    expect(asciiFallback('   ')).toBe('download');
  });
});
