import { FakeSmax, startFakeSmax } from './fake-smax';
import { bulk, callSmax, createRequest, loginAs, query } from './smax-test-client';

interface FileAnswer {
  guid: string;
  name: string;
  contentLength: number;
  contentType: string;
  lastModified: number;
}

const UNICODE_NAME = 'Отчёт – résumé 文件 ✓.bin';
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

describe('fake SMAX file repository', () => {
  let fake: FakeSmax;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeSmax();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    token = await loginAs(fake);
  });

  function formWith(name: string, content: Buffer, type = 'application/octet-stream', field = 'files[]'): FormData {
    const form = new FormData();
    form.append(field, new Blob([content], { type }), name);
    return form;
  }

  async function upload(form: FormData, path = '/ces/attachment'): Promise<Response> {
    return callSmax(fake, path, { method: 'POST', token, body: form });
  }

  async function download(guid: string): Promise<Response> {
    return callSmax(fake, `/frs/file-list/${guid}`, { token });
  }

  it('describes an uploaded file', async () => {
    const response = await upload(formWith('report.pdf', Buffer.from('%PDF-1.7'), 'application/pdf'));

    expect(response.status).toBe(200);
    const file = (await response.json()) as FileAnswer;
    expect(Object.keys(file).sort()).toEqual(['contentLength', 'contentType', 'guid', 'lastModified', 'name']);
    expect(file).toMatchObject({ name: 'report.pdf', contentLength: 8, contentType: 'application/pdf' });
    expect(String(file.lastModified)).toHaveLength(13);
  });

  it('returns the exact bytes of a Unicode-named file', async () => {
    const file = (await (await upload(formWith(UNICODE_NAME, ALL_BYTES))).json()) as FileAnswer;

    const response = await download(file.guid);

    expect(file.name).toBe(UNICODE_NAME);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${UNICODE_NAME.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(UNICODE_NAME)}`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(ALL_BYTES)).toBe(true);
  });

  it('decodes an RFC 5987 filename*', async () => {
    const boundary = 'fake-smax-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files[]"; filename="fallback.bin"; ` +
          `filename*=UTF-8''${encodeURIComponent(UNICODE_NAME)}\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      ALL_BYTES,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

    const response = await callSmax(fake, '/ces/attachment', {
      method: 'POST',
      token,
      body,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });

    const file = (await response.json()) as FileAnswer;
    expect(file.name).toBe(UNICODE_NAME);
    expect(fake.getFile(file.guid)?.content.equals(ALL_BYTES)).toBe(true);
  });

  it('links an upload to a request through RequestAttachments', async () => {
    const requestId = await createRequest(fake, token);
    const file = (await (await upload(formWith('report.pdf', Buffer.from('%PDF'), 'application/pdf'))).json()) as FileAnswer;
    const entry = {
      properties: {
        id: file.guid,
        file_name: file.name,
        file_extension: 'pdf',
        size: file.contentLength,
        mime_type: file.contentType,
        Creator: 'EXT-SMAX-BOT',
        LastUpdateTime: file.lastModified,
      },
    };

    const answer = await bulk(fake, token, {
      entities: [{ entity_type: 'Request', properties: { Id: requestId, RequestAttachments: JSON.stringify({ complexTypeProperties: [entry] }) } }],
      operation: 'UPDATE',
    });
    const reread = await query(fake, token, `/ems/Request?layout=FULL_LAYOUT&filter=Id=${requestId}`);

    expect(answer.entity_result_list[0].completion_status).toBe('OK');
    const stored = reread.entities[0].properties.RequestAttachments;
    expect(typeof stored).toBe('string');
    expect(JSON.parse(stored as string)).toEqual({ complexTypeProperties: [entry] });
  });

  it('records agent attachments with the creator ExternalId', async () => {
    const requestId = await createRequest(fake, token);

    const { file } = fake.agent.attach(requestId, { fileName: 'screenshot.png', contentType: 'image/png', content: ALL_BYTES });

    const reread = await query(fake, token, `/ems/Request?layout=RequestAttachments&filter=Id=${requestId}`);
    const entries = JSON.parse(reread.entities[0].properties.RequestAttachments as string).complexTypeProperties;
    expect(entries).toEqual([
      {
        properties: {
          id: file.guid,
          file_name: 'screenshot.png',
          file_extension: 'png',
          size: 256,
          mime_type: 'image/png',
          Creator: 'EXT-AGENT-ONE',
          LastUpdateTime: file.lastModified,
          IsHidden: false,
        },
      },
    ]);
    expect(Buffer.from(await (await download(file.guid)).arrayBuffer()).equals(ALL_BYTES)).toBe(true);
  });

  it('marks frs/file-list uploads successful', async () => {
    const response = await upload(formWith('notes.txt', Buffer.from('hello'), 'text/plain'), '/frs/file-list');

    const file = (await response.json()) as FileAnswer & { success: boolean };
    expect(file.success).toBe(true);
    expect(file.name).toBe('notes.txt');
  });

  it('accepts a raw upload named by fs_filename', async () => {
    const response = await callSmax(fake, '/frs/file-list', {
      method: 'POST',
      token,
      body: ALL_BYTES,
      headers: { 'Content-Type': 'image/png', fs_filename: 'shot.png' },
    });

    const { id } = (await response.json()) as { id: string };
    expect(fake.getFile(id)).toMatchObject({ name: 'shot.png', contentType: 'image/png' });
    expect(fake.getFile(id)?.content.equals(ALL_BYTES)).toBe(true);
  });

  it('returns a list for several files', async () => {
    const form = formWith('a.txt', Buffer.from('a'));
    form.append('files[]', new Blob([Buffer.from('b')]), 'b.txt');

    const files = (await (await upload(form)).json()) as FileAnswer[];

    expect(files.map((file) => file.name)).toEqual(['a.txt', 'b.txt']);
  });

  describe('rejections', () => {
    it('rejects a part not named files[]', async () => {
      const response = await upload(formWith('a.txt', Buffer.from('a'), 'text/plain', 'file'));

      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain('parts found: file');
    });

    it('rejects a body that is not multipart', async () => {
      const response = await callSmax(fake, '/ces/attachment', { method: 'POST', token, json: { name: 'a.txt' } });

      expect(response.status).toBe(400);
    });

    it('rejects a file above maxUploadBytes', async () => {
      fake.configure({ maxUploadBytes: 10 });

      const response = await upload(formWith('big.bin', Buffer.alloc(11)));

      expect(response.status).toBe(413);
      expect(fake.listFiles()).toEqual([]);
    });

    it('returns 404 for an unknown guid', async () => {
      const response = await download('5a4f0000-0000-4000-8000-0000000000ff');

      expect(response.status).toBe(404);
    });

    it('requires a token to download', async () => {
      const file = (await (await upload(formWith('a.txt', Buffer.from('a')))).json()) as FileAnswer;

      const response = await callSmax(fake, `/frs/file-list/${file.guid}`);

      expect(response.status).toBe(401);
    });
  });
});
