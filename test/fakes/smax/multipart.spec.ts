import { MultipartError, multipartBoundary, parseMultipart } from './multipart';

function body(...lines: Array<string | Buffer>): Buffer {
  return Buffer.concat(lines.map((line) => (typeof line === 'string' ? Buffer.from(line, 'utf8') : line)));
}

describe('multipart parser', () => {
  it('reads the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"')).toBe('a b');
  });

  it.each([undefined, 'application/json', 'multipart/form-data'])('rejects Content-Type %s', (contentType) => {
    expect(() => multipartBoundary(contentType)).toThrow(MultipartError);
  });

  it('reads fields and files', () => {
    const parts = parseMultipart(
      body(
        '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nHello\r\n',
        '--b\r\nContent-Disposition: form-data; name="files[]"; filename="a\\"b.txt"\r\nContent-Type: text/plain\r\n\r\n',
        Buffer.from([0, 13, 10, 45, 45]),
        '\r\n--b--\r\n',
      ),
      'b',
    );

    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ name: 'title', fileName: undefined, contentType: undefined });
    expect(parts[0].data.toString()).toBe('Hello');
    expect(parts[1]).toMatchObject({ name: 'files[]', fileName: 'a"b.txt', contentType: 'text/plain' });
    expect([...parts[1].data]).toEqual([0, 13, 10, 45, 45]);
  });

  it('reads a raw UTF-8 file name', () => {
    const [part] = parseMultipart(
      body('--b\r\nContent-Disposition: form-data; name="files[]"; filename="naïve 文件.txt"\r\n\r\nx\r\n--b--'),
      'b',
    );

    expect(part.fileName).toBe('naïve 文件.txt');
  });

  it('prefers filename* over filename', () => {
    const [part] = parseMultipart(
      body(`--b\r\nContent-Disposition: form-data; name="files[]"; filename="x.txt"; filename*=UTF-8''na%C3%AFve%20%E6%96%87.txt\r\n\r\nx\r\n--b--`),
      'b',
    );

    expect(part.fileName).toBe('naïve 文.txt');
  });

  it('reads an empty file', () => {
    const [part] = parseMultipart(body('--b\r\nContent-Disposition: form-data; name="files[]"; filename="e"\r\n\r\n\r\n--b--'), 'b');

    expect(part.data.length).toBe(0);
  });

  it.each([
    ['no boundary in body', 'nothing here'],
    ['no closing boundary', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'],
    ['no end of headers', '--b\r\nContent-Disposition: form-data; name="a"'],
    ['no CRLF after boundary', '--bx'],
    ['no form-data disposition', '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--'],
  ])('rejects %s', (_case, text) => {
    expect(() => parseMultipart(Buffer.from(text), 'b')).toThrow(MultipartError);
  });
});
