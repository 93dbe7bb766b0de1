import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { listSharedFixtures, readSharedFixture, sharedFixturesDir } from '../../../../test/support/shared-fixtures';
import { errorMessageOf } from './zammad.client';
import {
  hasMarkerLine,
  mapArticle,
  mapAttachment,
  mapNamedRecords,
  mapTicket,
  mapUser,
  mapWebhookPayload,
  parseZammadTime,
  ZammadPayloadError,
} from './zammad.mapper';
import type { ZammadArticle, ZammadNamedRecord, ZammadTicket, ZammadUser } from './zammad.types';

const MARKER = 'Created by Waldur';
const names = {
  states: new Map([
    [1, 'new'],
    [2, 'open'],
    [4, 'closed'],
  ]),
  priorities: new Map([
    [1, '1 low'],
    [2, '2 normal'],
  ]),
};

/** How each captured payload is read; every file in the fixture folder must be listed here. */
const FIXTURE_MAPPERS: Record<string, (payload: unknown, raw: string) => unknown> = {
  'article-create-internal-note-with-attachment.json': (article) => mapArticle(article as ZammadArticle, MARKER),
  'articles-by-ticket-email-html.json': (articles) => (articles as ZammadArticle[]).map((article) => mapArticle(article, MARKER)),
  'error-422-unprocessable.json': (_payload, raw) => errorMessageOf(raw),
  'groups-list-expand-true.json': (groups) => mapNamedRecords(groups as ZammadNamedRecord[]),
  'organizations-list.json': (organizations) => mapNamedRecords(organizations as ZammadNamedRecord[]),
  'ticket-create-response.json': (ticket) => mapTicket(ticket as ZammadTicket, names),
  'ticket-get-no-expand.json': (ticket) => mapTicket(ticket as ZammadTicket, names),
  'ticket-list-expand-true.json': (tickets) => (tickets as ZammadTicket[]).map((ticket) => mapTicket(ticket)),
  'ticket-search-expand-true.json': (tickets) => (tickets as ZammadTicket[]).map((ticket) => mapTicket(ticket)),
  'user-me.json': (user) => mapUser(user as ZammadUser),
  'users-list-expand-true.json': (users) => (users as ZammadUser[]).map((user) => mapUser(user)),
  'users-search-expand-true.json': (users) => (users as ZammadUser[]).map((user) => mapUser(user)),
  'webhook-trigger-default-payload.json': (payload) => {
    const { ticket, article } = payload as { ticket: ZammadTicket; article: ZammadArticle };
    return [mapWebhookPayload(payload), mapTicket(ticket), mapArticle(article, MARKER)];
  },
};

/** A captured payload; the fixture files are trusted to have the shape their name states. */
function fixture(name: string): ReturnType<typeof readSharedFixture> {
  return readSharedFixture('zammad', name);
}

describe('Zammad mapper', () => {
  describe('every captured payload', () => {
    const files = listSharedFixtures('zammad');

    it('has a mapper for each fixture file', () => {
      expect(files.filter((name) => !(name in FIXTURE_MAPPERS))).toEqual([]);
    });

    it.each(files)('maps %s without error', (name) => {
      const raw = readFileSync(join(sharedFixturesDir('zammad'), name), 'utf8');
      const mapped = FIXTURE_MAPPERS[name](JSON.parse(raw), raw);
      expect(mapped).toBeDefined();
    });
  });

  describe('tickets', () => {
    it('reads names of an expanded ticket', () => {
      const [ticket] = fixture('ticket-list-expand-true.json');
      expect(mapTicket(ticket)).toEqual({
        backendId: '1',
        key: '77001',
        summary: 'Welcome to Zammad!',
        status: 'new',
        priority: '2 normal',
        firstResponseSla: null,
        closedAt: null,
        createdAt: new Date('2025-05-13T08:37:16.572Z'),
        updatedAt: new Date('2025-05-13T08:37:16.844Z'),
        customerId: 2,
      });
    });

    it('reads the search result like the list', () => {
      const [ticket] = fixture('ticket-search-expand-true.json');
      expect(mapTicket(ticket).status).toBe('new');
      expect(mapTicket(ticket).priority).toBe('2 normal');
    });

    it('leaves names out of a ticket without expand', () => {
      const fields = mapTicket(fixture('ticket-get-no-expand.json'));
      expect(fields.status).toBeUndefined();
      expect(fields.priority).toBeUndefined();
    });

    it('looks names up by id without expand', () => {
      const fields = mapTicket(fixture('ticket-get-no-expand.json'), names);
      expect(fields.status).toBe('new');
      expect(fields.priority).toBe('2 normal');
    });

    it('reads the create response by ids', () => {
      const fields = mapTicket(fixture('ticket-create-response.json'), names);
      expect(fields).toMatchObject({ backendId: '5', key: '77005', summary: 'some new title', status: 'new', customerId: 2 });
      expect(fields.updatedAt?.toISOString()).toBe('2025-05-13T09:11:08.021Z');
    });

    it('reads a webhook ticket with nested objects', () => {
      const fields = mapTicket(fixture('webhook-trigger-default-payload.json').ticket);
      expect(fields).toMatchObject({ backendId: '81', key: '10081', summary: 'Webhook-Test', status: 'open', priority: '2 normal', customerId: 8 });
    });

    it('prefers the state name over the id lookup', () => {
      const fields = mapTicket({ id: 3, state: 'pending close', state_id: 1 }, names);
      expect(fields.status).toBe('pending close');
    });

    it('reads a nested state object by name', () => {
      expect(mapTicket({ id: 3, state: { id: 4, name: 'closed' } }).status).toBe('closed');
    });

    it('accepts string ids', () => {
      expect(mapTicket({ id: '12' as unknown as number }).backendId).toBe('12');
    });

    it('uses the id as key when the number is missing', () => {
      expect(mapTicket({ id: 12 }).key).toBe('12');
    });

    it('rejects a ticket without id', () => {
      expect(() => mapTicket({} as never)).toThrow(ZammadPayloadError);
    });

    it('reads the first response deadline', () => {
      const fields = mapTicket({ id: 1, first_response_escalation_at: '2024-02-01T08:00:00.000Z' });
      expect(fields.firstResponseSla).toEqual(new Date('2024-02-01T08:00:00.000Z'));
    });
  });

  describe('articles', () => {
    it('turns an HTML e-mail into plain text and keeps the HTML', () => {
      const [customerMail] = fixture('articles-by-ticket-email-html.json');
      const comment = mapArticle(customerMail, MARKER);
      expect(comment.text).toBe(
        'Hi,\n\nplease send me:\n1 x Café Kopi susu\n4 x Viennese melange\n\nDelivery Address:\nDavid Bell\nEiffel Tower\n' +
          '5 Avenue Anatole France\n75007 Paris\n\nDavid Bell',
      );
      expect(comment.originalBody).toBe(customerMail.body);
      expect(comment.originalFormat).toBe('html');
    });

    it('joins lines the HTML does not break', () => {
      const [, agentReply] = fixture('articles-by-ticket-email-html.json');
      const comment = mapArticle(agentReply, MARKER);
      expect(comment.text).toContain('Eiffel Tower 5 Avenue Anatole France 75007 Paris.');
      expect(comment.text).toContain('--\nGreetings,\n\nEmma Taylor');
    });

    it('leaves no markup in the text', () => {
      for (const article of fixture('articles-by-ticket-email-html.json')) {
        expect(mapArticle(article, MARKER).text).not.toMatch(/[<>]/);
      }
    });

    it('maps a public e-mail article', () => {
      const [customerMail] = fixture('articles-by-ticket-email-html.json');
      expect(mapArticle(customerMail, MARKER)).toMatchObject({
        backendId: '9',
        ticketId: '5',
        isPublic: true,
        authorId: 10,
        isSystem: false,
        type: 'email',
        carriesMarker: false,
        createdAt: new Date('2021-08-02T11:57:18.068Z'),
      });
    });

    it('maps an internal note as private with its file', () => {
      const comment = mapArticle(fixture('article-create-internal-note-with-attachment.json'), MARKER);
      expect(comment.isPublic).toBe(false);
      expect(comment.originalFormat).toBe('text');
      expect(comment.text).toBe('Please see attached file...');
      expect(comment.attachments).toEqual([
        { backendId: '17', articleId: '35', ticketId: '5', fileName: 'portal.txt', mimeType: 'text/plain', size: 19, inline: false },
      ]);
    });

    it('maps the webhook article with an inline image', () => {
      const comment = mapArticle(fixture('webhook-trigger-default-payload.json').article, MARKER);
      expect(comment.text).toBe('This is a simple Webhook Test.');
      expect(comment.authorId).toBe(8);
      expect(comment.createdById).toBe(3);
      expect(comment.attachments).toEqual([
        { backendId: '174', articleId: '104', ticketId: '81', fileName: 'image1.jpeg', mimeType: 'image/jpeg', size: 35574, inline: true },
      ]);
    });

    it('marks system articles', () => {
      expect(mapArticle({ id: 1, ticket_id: 1, sender: 'System', body: 'auto reply' }, MARKER).isSystem).toBe(true);
    });

    it('finds the marker line in an HTML body', () => {
      const body = 'Please restart.<br><br>Created by Waldur<br><br>User: Jane Doe';
      expect(mapArticle({ id: 1, ticket_id: 1, body, content_type: 'text/html' }, MARKER).carriesMarker).toBe(true);
    });

    it('ignores the marker inside a line', () => {
      expect(hasMarkerLine('I was told "Created by Waldur" means nothing', MARKER)).toBe(false);
    });

    it('treats a missing body as empty text', () => {
      expect(mapArticle({ id: 1, ticket_id: 1, body: null }, MARKER).text).toBe('');
    });
  });

  describe('attachments', () => {
    it('reads a numeric size', () => {
      expect(mapAttachment({ id: 1, filename: 'a.txt', size: 5 }, '2', '3').size).toBe(5);
    });

    it('reads an invalid size as unknown', () => {
      expect(mapAttachment({ id: 1, filename: 'a.txt', size: 'many' }, '2', '3').size).toBeNull();
    });

    it('prefers Content-Type over Mime-Type', () => {
      const attachment = mapAttachment({ id: 1, filename: 'a', preferences: { 'Content-Type': 'Text/Plain; charset=UTF-8', 'Mime-Type': 'x/y' } }, '2', '3');
      expect(attachment.mimeType).toBe('text/plain');
    });

    it('falls back to octet-stream for an invalid type', () => {
      expect(mapAttachment({ id: 1, filename: 'a', preferences: { 'Mime-Type': 'not a type' } }, '2', '3').mimeType).toBe(
        'application/octet-stream',
      );
    });
  });

  describe('users', () => {
    it('names a user by first and last name', () => {
      expect(mapUser(fixture('user-me.json'))).toEqual({
        backendId: '3',
        name: 'John Doe',
        login: 'johndoe@example.com',
        email: 'johndoe@example.com',
        active: true,
      });
    });

    it('names the system user by login', () => {
      const [system] = fixture('users-list-expand-true.json');
      expect(mapUser(system)).toMatchObject({ name: '-', active: false });
    });

    it('maps the search result', () => {
      expect((fixture('users-search-expand-true.json') as ZammadUser[]).map((user) => mapUser(user).backendId)).toEqual(['3']);
    });
  });

  describe('reference records', () => {
    it('maps groups by id', () => {
      expect(mapNamedRecords(fixture('groups-list-expand-true.json'))).toEqual(
        new Map([
          [1, 'Users'],
          [3, 'Name1'],
        ]),
      );
    });

    it('maps organisations by id', () => {
      expect(mapNamedRecords(fixture('organizations-list.json')).get(3)).toBe('Awesome Customer Inc.');
    });
  });

  describe('webhook payload', () => {
    it('reads ticket and article ids', () => {
      expect(mapWebhookPayload(fixture('webhook-trigger-default-payload.json'))).toEqual({
        ticketId: '81',
        articleId: '104',
        ticketUpdatedAt: new Date('2020-11-13T14:34:35.333Z'),
      });
    });

    it('accepts an empty article object', () => {
      expect(mapWebhookPayload({ ticket: { id: 5 }, article: {} }).articleId).toBeNull();
    });

    it('accepts a null article', () => {
      expect(mapWebhookPayload({ ticket: { id: 5 }, article: null }).articleId).toBeNull();
    });

    it('rejects a body without ticket', () => {
      expect(() => mapWebhookPayload({ article: { id: 1 } })).toThrow('no "ticket" object');
    });

    it('rejects a ticket without id', () => {
      expect(() => mapWebhookPayload({ ticket: { title: 'x' } })).toThrow('no "ticket.id"');
    });
  });

  describe('errors', () => {
    it('reads error_human of the 422 body', () => {
      const raw = readFileSync(join(sharedFixturesDir('zammad'), 'error-422-unprocessable.json'), 'utf8');
      expect(errorMessageOf(raw)).toBe('Cannot set default at signup when role has admin.branding, admin.group permissions.');
    });
  });

  describe('timestamps', () => {
    it('parses the Z form with milliseconds', () => {
      expect(parseZammadTime('2021-11-08T14:17:41.913Z')?.toISOString()).toBe('2021-11-08T14:17:41.913Z');
    });

    it('rejects other text', () => {
      expect(parseZammadTime('yesterday')).toBeNull();
    });

    it('rejects null', () => {
      expect(parseZammadTime(null)).toBeNull();
    });
  });
});
