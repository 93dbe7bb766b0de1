import { type FakeZammad, startFakeZammad } from './server';
import { callApi, readFixture } from './spec-support/api-client';

describe('fake Zammad errors', () => {
  let fake: FakeZammad;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('uses the keys of a real error body', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: { group: 'Users' } });

    expect(response.status).toBe(422);
    expect(Object.keys(response.json)).toEqual(Object.keys(readFixture('error-422-unprocessable.json')));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('names the missing record on 404', async () => {
    const ticket = await callApi(fake, 'GET', '/api/v1/tickets/999');
    const article = await callApi(fake, 'GET', '/api/v1/ticket_articles/999');

    expect(ticket.status).toBe(404);
    expect(ticket.json).toEqual({
      error: "Couldn't find Ticket with 'id'=999",
      error_human: "Couldn't find Ticket with 'id'=999",
    });
    expect(article.json.error).toBe("Couldn't find Ticket::Article with 'id'=999");
  });

  it('returns 404 for unknown routes', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/nothing');

    expect(response.status).toBe(404);
    expect(response.json.error).toBe('No route matches [GET] /api/v1/nothing');
  });

  it('returns HTML to HTML-only clients', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/tickets/999', { headers: { Accept: 'text/html' } });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain("<p>Couldn't find Ticket with 'id'=999</p>");
  });

  it('rejects a body that is not JSON', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/tickets', { body: '{"title":' });

    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(/^Invalid JSON in request body/);
  });

  it('reports a form-encoded attachment list as Zammad does', async () => {
    await callApi(fake, 'POST', '/api/v1/tickets', { body: { title: 't', group: 'Users', customer_id: 4 } });

    const response = await callApi(fake, 'POST', '/api/v1/ticket_articles', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'ticket_id=1&body=see+file&attachments=mime-type',
    });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe('undefined method `each_with_index\' for "mime-type":String');
  });
});
