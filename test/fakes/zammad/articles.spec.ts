import { randomBytes } from 'node:crypto';

import { type FakeZammad, startFakeZammad } from './server';
import { callApi, readFixture, tokenHeader } from './spec-support/api-client';

async function createTicket(fake: FakeZammad): Promise<number> {
  const response = await callApi(fake, 'POST', '/api/v1/tickets', {
    body: { title: 'Printer', group: 'Users', customer_id: 4, article: { body: 'It jams.', type: 'note' } },
  });
  return response.json.id as number;
}

describe('fake Zammad articles', () => {
  let fake: FakeZammad;
  let ticketId: number;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    ticketId = await createTicket(fake);
  });

  it('creates an internal note with the keys of a real one', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: {
        ticket_id: ticketId,
        subject: 'some subject',
        body: 'Please see attached file...',
        content_type: 'text/plain',
        type: 'note',
        internal: true,
        attachments: [{ filename: 'portal.txt', data: Buffer.from('19 bytes of content').toString('base64'), 'mime-type': 'text/plain' }],
      },
    });

    const fixture = readFixture('article-create-internal-note-with-attachment.json');
    expect(response.status).toBe(201);
    expect(Object.keys(response.json).sort()).toEqual(Object.keys(fixture).sort());
    expect(response.json.internal).toBe(true);
    expect(response.json.type).toBe('note');
    expect(response.json.sender).toBe('Agent');
    expect(response.json.attachments).toEqual([
      { id: 1, filename: 'portal.txt', size: '19', preferences: { 'Mime-Type': 'text/plain' } },
    ]);
  });

  it('lists articles by ticket with the keys of a real list', async () => {
    const response = await callApi(fake, 'GET', `/api/v1/ticket_articles/by_ticket/${ticketId}`);

    const fixtureKeys = Object.keys(readFixture('articles-by-ticket-email-html.json')[1]).sort();
    expect(response.status).toBe(200);
    expect(Object.keys(response.json[0]).sort()).toEqual(fixtureKeys);
  });

  it('hides internal articles from customers', async () => {
    await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: ticketId, body: 'secret', internal: true } });
    const customer = tokenHeader(fake.tokens.customer);

    const list = await callApi(fake, 'GET', `/api/v1/ticket_articles/by_ticket/${ticketId}`, { authorization: customer });
    const single = await callApi(fake, 'GET', '/api/v1/ticket_articles/2', { authorization: customer });

    expect(list.json.map((article: { id: number }) => article.id)).toEqual([1]);
    expect(single.status).toBe(403);
  });

  it('forces customer articles to public notes', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      authorization: tokenHeader(fake.tokens.customer),
      body: { ticket_id: ticketId, body: 'any news?', internal: true, type: 'email', sender: 'Agent' },
    });

    expect(response.json.internal).toBe(false);
    expect(response.json.type).toBe('note');
    expect(response.json.sender).toBe('Customer');
    expect(response.json.from).toBe('Nicole Braun <nicole.braun@example.com>');
  });

  it('downloads an attachment byte for byte', async () => {
    const bytes = Buffer.concat([Buffer.from([0, 255, 13, 10, 128]), randomBytes(4096)]);
    const filename = 'Ülevaade – 東京 📎.bin';
    const created = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: {
        ticket_id: ticketId,
        body: filename,
        internal: true,
        attachments: [{ filename, data: bytes.toString('base64'), 'mime-type': 'application/octet-stream' }],
      },
    });
    const attachment = created.json.attachments[0];

    const download = await callApi(fake, 'GET', `/api/v1/ticket_attachment/${ticketId}/${created.json.id}/${attachment.id}`);

    expect(attachment.filename).toBe(filename);
    expect(attachment.size).toBe(String(bytes.length));
    expect(download.status).toBe(200);
    expect(download.bytes.equals(bytes)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="Ulevaade %3F %3F%3F %3F.bin"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    );
  });

  it('serves HTML attachments as binary downloads', async () => {
    const created = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: {
        ticket_id: ticketId,
        body: 'page',
        attachments: [{ filename: 'page.html', data: Buffer.from('<b>x</b>').toString('base64'), 'mime-type': 'text/html' }],
      },
    });

    const download = await callApi(fake, 'GET', `/api/v1/ticket_attachment/${ticketId}/2/${created.json.attachments[0].id}`);

    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.text).toBe('<b>x</b>');
  });

  it('refuses an attachment of another article', async () => {
    await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: { ticket_id: ticketId, body: 'a', attachments: [{ filename: 'a.txt', data: 'YQ==', 'mime-type': 'text/plain' }] },
    });

    const response = await callApi(fake, 'GET', `/api/v1/ticket_attachment/${ticketId}/1/1`);

    expect(response.status).toBe(403);
    expect(response.json.error).toBe('The file does not belong to the specified article.');
  });

  it('rejects attachment data that is not strict base64', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: { ticket_id: ticketId, body: 'a', attachments: [{ filename: 'a.txt', data: 'a-_b', 'mime-type': 'text/plain' }] },
    });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe("Invalid base64 for attachment with index '0'");
  });

  it('requires an article body', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: ticketId } });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe("Need at least an 'article body' field.");
  });

  it('changes only the internal flag on update', async () => {
    const response = await callApi(fake, 'PUT', '/api/v1/ticket_articles/1', { body: { internal: true, body: 'edited' } });

    expect(response.status).toBe(200);
    expect(response.json.internal).toBe(true);
    expect(response.json.body).toBe('It jams.');
  });

  it('sanitises HTML and stores inline images as attachments', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const response = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: {
        ticket_id: ticketId,
        content_type: 'text/html',
        body: `<p onclick="x()">Hi<script>alert(1)</script></p><img src="data:image/png;base64,${png.toString('base64')}">`,
      },
    });

    const attachment = response.json.attachments[0];
    expect(response.json.body).toBe(
      `<p>Hi</p><img src="/api/v1/ticket_attachment/${ticketId}/2/${attachment.id}?view=inline">`,
    );
    expect(attachment.filename).toBe('image1.png');
    expect(attachment.preferences['Content-Disposition']).toBe('inline');
    expect(fake.data.attachmentBytes(attachment.id)?.equals(png)).toBe(true);
  });

  it('records e-mail that an agent article would send', async () => {
    await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      body: { ticket_id: ticketId, body: 'Fixed.', type: 'email', internal: true, to: 'nicole.braun@example.com' },
    });

    expect(fake.data.outgoingEmails()).toEqual([
      expect.objectContaining({ articleId: 2, ticketId, to: 'nicole.braun@example.com', internal: true }),
    ]);
  });

  it('lists system articles with sender System', async () => {
    fake.agent.addSystemArticle(ticketId, { body: 'Auto reply' });

    const response = await callApi(fake, 'GET', `/api/v1/ticket_articles/by_ticket/${ticketId}`);

    expect(response.json[1].sender).toBe('System');
    expect(response.json[1].created_by_id).toBe(1);
  });

  describe('delete', () => {
    it('deletes an own internal note', async () => {
      await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: ticketId, body: 'n', internal: true } });

      const response = await callApi(fake, 'DELETE', '/api/v1/ticket_articles/2');

      expect(response.status).toBe(200);
      expect(response.json).toEqual({});
      expect(fake.data.article(2)).toBeUndefined();
    });

    it('refuses notes of other users', async () => {
      const response = await callApi(fake, 'DELETE', '/api/v1/ticket_articles/1', {
        authorization: tokenHeader(fake.tokens.agent),
      });

      expect(response.status).toBe(403);
      expect(response.json.error).toBe('Not authorized (you can only delete your own notes)!');
    });

    it('refuses public communication articles', async () => {
      await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: ticketId, body: 'e', type: 'email' } });

      const response = await callApi(fake, 'DELETE', '/api/v1/ticket_articles/2');

      expect(response.status).toBe(403);
      expect(response.json.error).toBe('Not authorized (communication articles cannot be deleted)!');
    });

    it('refuses notes older than the time frame', async () => {
      fake.clock.set('2030-01-01T10:00:00.000Z');
      await callApi(fake, 'POST', '/api/v1/ticket_articles', { body: { ticket_id: ticketId, body: 'n', internal: true } });
      fake.clock.advance(600_000);

      const response = await callApi(fake, 'DELETE', '/api/v1/ticket_articles/2');

      expect(response.status).toBe(403);
      expect(response.json.error).toBe('Not authorized (note is too old to be deleted)!');
    });
  });
});
