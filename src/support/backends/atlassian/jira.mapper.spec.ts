import { listSharedFixtures, readSharedFixture } from '../../../../test/support/shared-fixtures';
import { clauseNames } from './jira-fields';
import { readErrorBody } from './jira-http';
import { parseJiraWebhook } from './jira-webhook.mapper';
import {
  bodyText,
  commentVisibility,
  mapCustomerRequest,
  mapComment,
  mapIssue,
  mapJsmComment,
  mapStatus,
  mapUser,
  slaBreachTime,
  stripAuthorPrefix,
  withAuthorPrefix,
} from './jira.mapper';
import type { JiraField, JiraIssue } from './jira.types';

const cloud = { useOldApi: false };

describe('Jira mapper on captured webhooks', () => {
  const files = listSharedFixtures('jira/webhooks');

  it.each(files)('parses %s', (file) => {
    const event = parseJiraWebhook(readSharedFixture('jira/webhooks', file), cloud);
    expect(event.type).not.toBe('ignored');
    if (event.type === 'ignored') return;
    expect(event.issueId).toMatch(/^\d+$/);
  });

  it.each(files.filter((file) => readSharedFixture('jira/webhooks', file).issue?.fields))('maps the issue of %s', (file) => {
    const payload = readSharedFixture('jira/webhooks', file);
    const fields = mapIssue(payload.issue, {}, cloud);
    expect(fields.backendId).toBe(String(payload.issue.id));
    expect(fields.key).toBe(payload.issue.key);
    expect(fields.status).toBe(payload.issue.fields.status.name);
    expect(fields.summary).toBe(payload.issue.fields.summary);
  });

  it('reads issue id from comment link', () => {
    const event = parseJiraWebhook(readSharedFixture('jira/webhooks', 'server-comment-created-no-issue.json'), cloud);
    expect(event).toMatchObject({ type: 'comment_created', issueId: '10013', issueKey: null });
    if (event.type !== 'comment_created') throw new Error('unexpected event');
    expect(event.comment.backendId).toBe('10082');
    expect(event.comment.text).toBe('unik');
    expect(event.comment.created?.toISOString()).toBe('2019-06-04T00:15:17.234Z');
  });

  it('reads the comment of a Data Center issue_commented update', () => {
    const event = parseJiraWebhook(readSharedFixture('jira/webhooks', 'server-issue-updated-issue-commented.json'), cloud);
    expect(event).toMatchObject({ type: 'issue_updated', issueId: '10013', issueKey: 'PRJX-14', eventTypeName: 'issue_commented' });
    if (event.type !== 'issue_updated') throw new Error('unexpected event');
    expect(event.comment?.backendId).toBe('10082');
  });

  it('keys Data Center authors by key and Cloud authors by accountId', () => {
    const server = parseJiraWebhook(readSharedFixture('jira/webhooks', 'server-issue-updated-issue-commented.json'), cloud);
    const cloudEvent = parseJiraWebhook(readSharedFixture('jira/webhooks', 'cloud-comment-created.json'), cloud);
    if (server.type !== 'issue_updated' || cloudEvent.type !== 'comment_created') throw new Error('unexpected events');
    expect(server.comment?.author).toMatchObject({ backendId: 'agent.one', login: 'agent.one', email: 'agent.one@example.com' });
    expect(cloudEvent.comment.author?.backendId).toBe('000000000000000000000001');
    expect(cloudEvent.comment.isPublic).toBe(true);
  });

  it('keys users by name with the old API', () => {
    const payload = readSharedFixture('jira/webhooks', 'cloud-2018-comment-created.json');
    expect(mapUser(payload.comment.author, { useOldApi: true })?.backendId).toBe('user');
    expect(mapUser(payload.comment.author, cloud)?.backendId).toBe('557058:00000000-0000-0000-0000-000000000001');
  });

  it('drops the placeholder e-mail of GDPR-era Cloud users', () => {
    const event = parseJiraWebhook(readSharedFixture('jira/webhooks', 'cloud-comment-deleted.json'), cloud);
    if (event.type !== 'comment_deleted') throw new Error('unexpected event');
    expect(event.comment.author).toMatchObject({ backendId: '000000000000000000000002', email: null, login: null });
    expect(event.comment.text).toBe('wd\n\ndwd');
  });

  it('parses resolution and timestamps with offsets exactly', () => {
    const cloudResolved = mapIssue(readSharedFixture('jira/webhooks', 'cloud-issue-updated-resolved.json').issue, {}, cloud);
    expect(cloudResolved).toMatchObject({ status: 'Done', statusCategory: 'done', resolution: 'Done', priority: 'High' });
    expect(cloudResolved.resolutionDate?.toISOString()).toBe('2019-02-16T03:15:40.470Z');
    expect(cloudResolved.created?.toISOString()).toBe('2019-02-16T03:01:52.971Z');

    const serverResolved = mapIssue(readSharedFixture('jira/webhooks', 'server-issue-updated-resolved.json').issue, {}, cloud);
    expect(serverResolved).toMatchObject({ status: 'Resolved', resolution: 'Done' });
    expect(serverResolved.resolutionDate?.toISOString()).toBe('2019-08-12T23:23:01.890Z');
  });

  it('lists changelog fields, by name where Data Center leaves the id out', () => {
    const server = parseJiraWebhook(readSharedFixture('jira/webhooks', 'server-issue-updated-custom-field.json'), cloud);
    const cloudEvent = parseJiraWebhook(readSharedFixture('jira/webhooks', 'cloud-issue-updated-custom-field.json'), cloud);
    if (server.type !== 'issue_updated' || cloudEvent.type !== 'issue_updated') throw new Error('unexpected events');
    expect(server.changedFields).toEqual(['numfield']);
    expect(cloudEvent.changedFields).toEqual(['customfield_10072']);
  });

  it('leaves fields that comment events lack undefined', () => {
    const fields = mapIssue(readSharedFixture('jira/webhooks', 'cloud-comment-created.json').issue, {}, cloud);
    expect(fields.description).toBeUndefined();
    expect(fields.resolution).toBeUndefined();
    expect(fields.attachments).toBeUndefined();
    expect(fields.assignee).toBeNull();
  });

  it('ignores events it does not handle', () => {
    expect(parseJiraWebhook({ webhookEvent: 'worklog_created', worklog: {} }, cloud)).toMatchObject({ type: 'ignored', webhookEvent: 'worklog_created' });
  });

  it('rejects a comment event that names no issue', () => {
    expect(() => parseJiraWebhook({ webhookEvent: 'comment_created', comment: { id: '1', body: 'x' } }, cloud)).toThrow(/names no issue/);
    expect(() => parseJiraWebhook('not an object', cloud)).toThrow(/not a JSON object/);
  });

  it.each([
    ['an issue id with U+0000', { webhookEvent: 'jira:issue_updated', issue: { id: '10000\u0000', key: 'SUP-1' } }, /invalid issue id "10000\\u0000"/],
    ['an issue id that is not digits', { webhookEvent: 'jira:issue_updated', issue: { id: '10000 OR 1=1', key: 'SUP-1' } }, /invalid issue id/],
    ['a negative numeric issue id', { webhookEvent: 'jira:issue_deleted', issue: { id: -1 } }, /invalid issue id -1/],
    ['a comment id with U+0000', { webhookEvent: 'comment_created', issue: { id: '10000' }, comment: { id: '7\u0000', body: 'x' } }, /invalid comment id/],
  ])('rejects %s', (_case, payload, message) => {
    expect(() => parseJiraWebhook(payload, cloud)).toThrow(message);
  });

  it('drops a malformed issue key', () => {
    expect(parseJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { id: '10000', key: 'SUP-1\u0000' } }, cloud)).toMatchObject({ issueId: '10000', issueKey: null });
    expect(parseJiraWebhook({ webhookEvent: 'jira:issue_updated', issue: { id: '10000', key: 'SUP-1' } }, cloud)).toMatchObject({ issueKey: 'SUP-1' });
  });

  it('removes U+0000 from texts of a delivery', () => {
    const event = parseJiraWebhook(
      {
        webhookEvent: 'comment_created',
        issue: { id: '10000', key: 'SUP-1' },
        comment: { id: '7', body: 'Line\u0000 one', author: { accountId: 'a\u0000b', displayName: 'Agent\u0000 One' } },
      },
      cloud,
    );
    if (event.type !== 'comment_created') throw new Error('unexpected event');
    expect(event.comment.body).toBe('Line one');
    expect(event.comment.author).toMatchObject({ backendId: 'ab', name: 'Agent One' });
    expect(parseJiraWebhook({ webhookEvent: 'worklog\u0000_created' }, cloud)).toMatchObject({ type: 'ignored', webhookEvent: 'worklog_created' });
  });
});

describe('Jira mapper on captured API responses', () => {
  const handled: Record<string, () => void> = {
    'issue-get-cloud-2018.json': () => {
      const issue = readSharedFixture('jira/api', 'issue-get-cloud-2018.json') as JiraIssue;
      const fields = mapIssue(issue, {}, cloud);
      expect(fields).toMatchObject({ backendId: '10305', key: 'SEN-5', summary: 'example summary', status: 'To Do', type: 'Task', priority: 'Medium', resolution: '' });
      expect(fields.description).toBe('example bug report');
      expect(fields.created?.toISOString()).toBe('2018-06-15T18:47:57.111Z');
      expect(fields.resolutionDate).toBeNull();
      expect(fields.reporter?.backendId).toBe('557058:00000000-0000-0000-0000-000000000002');
      expect(fields.attachments).toEqual([]);
    },
    'search-cloud-v2-2019.json': () => {
      const page = readSharedFixture('jira/api', 'search-cloud-v2-2019.json');
      const [fields] = page.issues.map((issue: JiraIssue) => mapIssue(issue, {}, cloud));
      expect(fields).toMatchObject({ backendId: '12652', key: 'VIK-3', status: 'To Do', resolution: 'Done' });
      expect(fields.resolutionDate?.toISOString()).toBe('2019-05-15T18:04:39.147Z');
    },
    'field-list-cloud-jsm.json': () => {
      const fields = readSharedFixture('jira/api', 'field-list-cloud-jsm.json') as JiraField[];
      expect(fields.map(clauseNames)).toEqual([['statusCategoryChangedDate'], ['parent'], [], ['cf[10071]', 'Time to resolution']]);
    },
    'transitions-cloud-oauth.json': () => {
      const body = readSharedFixture('jira/api', 'transitions-cloud-oauth.json');
      expect(body.transitions.map((transition: { to: unknown }) => mapStatus(transition.to))).toEqual([
        { name: 'Backlog', category: 'new' },
        { name: 'Selected for Development', category: 'new' },
      ]);
    },
    'transitions-server-2014.json': () => {
      const body = readSharedFixture('jira/api', 'transitions-server-2014.json');
      const targets = body.transitions.map((transition: { to: unknown }) => mapStatus(transition.to));
      expect(targets.map((target: { name: string }) => target.name)).toEqual(['Reviewable', 'Accepted', 'Open', 'Resolved']);
      expect(targets.every((target: { category: unknown }) => target.category === undefined)).toBe(true);
    },
    'error-put-invalid-field-server.json': () => {
      const { message, fieldErrors } = readErrorBody(fixtureBytes('error-put-invalid-field-server.json'), 'application/json');
      expect(message).toBe("invalid: Field 'invalid' is not valid for this operation.");
      expect(fieldErrors).toEqual({ invalid: "Field 'invalid' is not valid for this operation." });
    },
    'error-put-missing-fields-server.json': () => {
      expect(readErrorBody(fixtureBytes('error-put-missing-fields-server.json'), 'application/json').message).toBe("one of 'fields' or 'update' required");
    },
    'error-put-unrecognized-field-server.json': () => {
      const { message, fieldErrors } = readErrorBody(fixtureBytes('error-put-unrecognized-field-server.json'), 'application/json');
      expect(message).toMatch(/^Unrecognized field "invalid"/);
      expect(fieldErrors).toEqual({});
    },
    'servicedesk-request-list-expand-participant-cloud-2020.json': () => {
      const page = readSharedFixture('jira/api', 'servicedesk-request-list-expand-participant-cloud-2020.json');
      const request = mapCustomerRequest(page.values[0], cloud);
      expect(request).toMatchObject({ issueId: '10018', issueKey: 'ISD-7', status: 'Waiting for support', statusCategory: 'indeterminate' });
      expect(request?.created?.toISOString()).toBe('2020-08-11T13:51:42.309Z');
    },
    'servicedesk-request-comment-create-cloud-2020.json': () => {
      const comment = mapJsmComment(readSharedFixture('jira/api', 'servicedesk-request-comment-create-cloud-2020.json'), cloud);
      expect(comment).toMatchObject({ backendId: '10024', isPublic: true, text: 'Hello there, need still some help please!' });
      expect(comment.author?.backendId).toBe('000000000000000000000004');
      expect(comment.created?.toISOString()).toBe('2020-08-14T19:18:43.123Z');
    },
  };

  it('covers every captured API response', () => {
    expect(listSharedFixtures('jira/api')).toEqual(Object.keys(handled).sort());
  });

  it.each(Object.keys(handled))('maps %s', (file) => handled[file]());
});

describe('Jira mapper helpers', () => {
  it('reads the breach time of a running SLA cycle only', () => {
    const running = { ongoingCycle: { breachTime: { epochMillis: 1482760800000, jira: '2016-12-26T09:00:00.000-0500' } } };
    expect(slaBreachTime(running)?.toISOString()).toBe('2016-12-26T14:00:00.000Z');
    expect(slaBreachTime({ completedCycles: [{}] })).toBeNull();
    expect(slaBreachTime(null)).toBeNull();
  });

  it('prefixes and strips the author of pushed comments', () => {
    expect(withAuthorPrefix('Jane Doe', 'please check logs')).toBe('[Jane Doe]: please check logs');
    expect(stripAuthorPrefix('[Jane Doe]: please check [logs]: now')).toBe('please check [logs]: now');
    expect(stripAuthorPrefix('no prefix')).toBe('no prefix');
  });

  it('strips the author prefix only from the integration user\'s comments', () => {
    const comment = { id: '1', body: '[Jane Doe]: please check', author: { accountId: 'bot-1', displayName: 'Deskbridge' } };
    expect(mapComment(comment, cloud, 'bot-1').text).toBe('please check');
    expect(mapComment(comment, cloud, 'agent-1').text).toBe('[Jane Doe]: please check');
    expect(mapComment(comment, cloud).text).toBe('[Jane Doe]: please check');
    expect(mapComment({ ...comment, author: null }, cloud, 'bot-1').text).toBe('[Jane Doe]: please check');
  });

  it('decides visibility from jsdPublic, then the comment properties', () => {
    expect(commentVisibility({ jsdPublic: false })).toBe(false);
    expect(commentVisibility({ properties: [{ key: 'sd.public.comment', value: { internal: true } }] })).toBe(false);
    expect(commentVisibility({ properties: [{ key: 'sd.public.comment', value: { internal: false } }] })).toBe(true);
    expect(commentVisibility({ properties: [{ key: 'sd.allow.public.comment', value: { allow: false } }] })).toBe(false);
    expect(commentVisibility({ properties: [] })).toBeUndefined();
  });

  it('makes role and group restricted comments internal', () => {
    const publicProperty = [{ key: 'sd.public.comment', value: { internal: false } }];
    expect(commentVisibility({ jsdPublic: true, visibility: { type: 'role', value: 'Service Desk Team' } })).toBe(false);
    expect(commentVisibility({ properties: publicProperty, visibility: { type: 'group', identifier: '5f8d-group-id' } })).toBe(false);
    expect(commentVisibility({ visibility: { type: 'group', value: 'jira-servicedesk-users' } })).toBe(false);
    expect(commentVisibility({ jsdPublic: true, visibility: null })).toBe(true);
  });

  it('turns ADF comment bodies into text', () => {
    const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'first' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'second' }] }] };
    expect(bodyText(adf)).toBe('first\nsecond');
  });

  it('reads custom fields by the ids resolved from settings', () => {
    const issue: JiraIssue = {
      id: '1',
      key: 'SUP-1',
      fields: {
        customfield_1: 'High impact',
        customfield_2: { ongoingCycle: { breachTime: { epochMillis: 1000 } } },
        customfield_3: { value: 'No' },
        customfield_4: 'vm-42',
      },
    };
    const fields = mapIssue(issue, { impact: 'customfield_1', sla: 'customfield_2', requestFeedback: 'customfield_3', waldurBackendId: 'customfield_4' }, cloud);
    expect(fields).toMatchObject({ impact: 'High impact', feedbackRequest: false, waldurBackendId: 'vm-42' });
    expect(fields.firstResponseSla?.getTime()).toBe(1000);
  });
});

function fixtureBytes(file: string): Buffer {
  return Buffer.from(JSON.stringify(readSharedFixture('jira/api', file)));
}
