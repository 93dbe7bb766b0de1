import type { FakeJira } from './server';
import { BOT_AUTH, call, createIssue, startTestFake } from './spec-helpers';

const BOUNDARY = 'deskbridge-boundary-7f3a';
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
const UNICODE_NAME = 'Отчёт über café.pdf';

/** Builds a multipart body; `disposition` is the file name part of Content-Disposition as raw text. */
function multipartBody(disposition: string, data: Buffer, name = 'file'): Buffer {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8');
  return Buffer.concat([head, data, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

function upload(fake: FakeJira, key: string, body: Buffer, headers: Record<string, string> = { 'X-Atlassian-Token': 'no-check' }) {
  return fetch(`${fake.url}/rest/api/2/issue/${key}/attachments`, {
    method: 'POST',
    headers: { Authorization: BOT_AUTH, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body,
  });
}

describe('fake Jira attachments', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    fake.configure({ rejectRfc2231Filename: false, attachmentMaxBytes: 10 * 1024 * 1024 });
  });

  it('stores a raw UTF-8 file name', async () => {
    const key = await createIssue(fake);
    const response = await upload(fake, key, multipartBody(`filename="${UNICODE_NAME}"`, BINARY));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<Record<string, any>>;
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ filename: UNICODE_NAME, size: 256, mimeType: 'application/pdf' });
    expect(body[0].content).toBe(`${fake.url}/rest/api/2/attachment/content/${body[0].id}`);
    expect(body[0].created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
    const logged = fake.requests().find((entry) => entry.path.endsWith('/attachments'));
    expect(logged?.multipart?.[0]).toMatchObject({ name: 'file', filename: UNICODE_NAME, filenameEncoding: 'raw', size: 256 });
    expect(logged?.headers['x-atlassian-token']).toBe('no-check');
  });

  it('decodes an RFC 2231 file name', async () => {
    const key = await createIssue(fake);
    const response = await upload(fake, key, multipartBody(`filename*=utf-8''${encodeURIComponent(UNICODE_NAME)}`, BINARY));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<{ filename: string }>;
    expect(body[0].filename).toBe(UNICODE_NAME);
    expect(fake.requests().at(-1)?.multipart?.[0].filenameEncoding).toBe('rfc2231');
  });

  it('fails RFC 2231 names like Data Center', async () => {
    fake.configure({ rejectRfc2231Filename: true });
    const key = await createIssue(fake);
    const response = await upload(fake, key, multipartBody(`filename*=utf-8''${encodeURIComponent(UNICODE_NAME)}`, BINARY));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('downloads the exact bytes', async () => {
    const key = await createIssue(fake);
    const [attachment] = (await (await upload(fake, key, multipartBody(`filename="${UNICODE_NAME}"`, BINARY))).json()) as Array<{ id: string; content: string }>;
    const direct = await fetch(`${attachment.content}?redirect=false`, { headers: { Authorization: BOT_AUTH } });
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(BINARY)).toBe(true);
    expect(direct.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(UNICODE_NAME)}`);
  });

  it('redirects Cloud downloads to media', async () => {
    const key = await createIssue(fake);
    const [attachment] = (await (await upload(fake, key, multipartBody('filename="a.bin"', BINARY))).json()) as Array<{ content: string }>;
    const redirect = await fetch(attachment.content, { headers: { Authorization: BOT_AUTH }, redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const location = redirect.headers.get('location') ?? '';
    expect(location).toContain('/media/attachment/');
    const media = await fetch(location);
    expect(Buffer.from(await media.arrayBuffer()).equals(BINARY)).toBe(true);
    const forged = await fetch(location.replace(/token=\w+/, 'token=forged'));
    expect(forged.status).toBe(401);
  });

  it('requires the XSRF token header', async () => {
    const key = await createIssue(fake);
    const response = await upload(fake, key, multipartBody('filename="a.txt"', BINARY), {});
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('XSRF check failed');
    const misspelt = await upload(fake, key, multipartBody('filename="a.txt"', BINARY), { 'X-Atlassian-Token': 'nocheck' });
    expect(misspelt.status).toBe(403);
  });

  it('requires the part name file', async () => {
    const key = await createIssue(fake);
    const response = await upload(fake, key, multipartBody('filename="a.txt"', BINARY, 'upload'));
    expect(response.status).toBe(400);
  });

  it('rejects files over the limit', async () => {
    fake.configure({ attachmentMaxBytes: 100 });
    const key = await createIssue(fake);
    const response = await upload(fake, key, multipartBody('filename="big.bin"', BINARY));
    expect(response.status).toBe(413);
  });

  it('serves metadata and deletes', async () => {
    const key = await createIssue(fake);
    const [attachment] = (await (await upload(fake, key, multipartBody('filename="notes.txt"', BINARY))).json()) as Array<{ id: string }>;
    const meta = await call(fake.url, `/rest/api/2/attachment/${attachment.id}`);
    expect(meta.json).toMatchObject({ id: attachment.id, filename: 'notes.txt', size: 256 });
    const issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=attachment`);
    expect(issue.json.fields.attachment.map((a: { id: string }) => a.id)).toEqual([attachment.id]);
    expect((await call(fake.url, `/rest/api/2/attachment/${attachment.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(fake.url, `/rest/api/2/attachment/${attachment.id}`)).status).toBe(404);
  });
});

describe('fake Jira attachments on Data Center', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake({ flavour: 'datacenter' });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('serves the secure content URL', async () => {
    const key = await createIssue(fake);
    const [attachment] = (await (await upload(fake, key, multipartBody(`filename="${UNICODE_NAME}"`, BINARY))).json()) as Array<{ id: string; content: string }>;
    expect(attachment.content).toBe(`${fake.url}/secure/attachment/${attachment.id}/${encodeURIComponent(UNICODE_NAME)}`);
    const download = await fetch(attachment.content, { headers: { Authorization: BOT_AUTH } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(BINARY)).toBe(true);
  });
});
