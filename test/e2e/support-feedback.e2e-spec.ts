import { randomUUID } from 'node:crypto';

import { feedbackLinkCommand } from '../../src/cli/commands/feedback-link';
import { formatUuid } from '../../src/common/http/uuid';
import { User } from '../../src/identity/users/user.entity';
import { SettingsService } from '../../src/settings/settings.service';
import { SyncState } from '../../src/support/common/sync-state';
import { Feedback } from '../../src/support/feedback/feedback.entity';
import { createFeedbackToken } from '../../src/support/feedback/feedback-token';
import { FeedbackTokenService } from '../../src/support/feedback/feedback-token.service';
import { Issue } from '../../src/support/issues/issue.entity';
import { createStaff, createUser, UserWithToken } from '../support/factories';
import { createSupportTestApp, RecordingSupportBackend } from '../support/recording-backend';
import { createFeedbackRow, createIssue } from '../support/support-rows';
import { TestApp } from '../support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;

interface FeedbackRow {
  uuid: string;
  created: string;
  modified: string;
  state: string;
  evaluation: number;
  comment: string;
  issue_uuid: string;
  user_full_name: string;
  issue_key: string;
  issue_summary: string;
}

describe('support feedback', () => {
  let testApp: TestApp;
  let backend: RecordingSupportBackend;
  let tokens: FeedbackTokenService;
  let staff: UserWithToken;
  let support: UserWithToken;
  let user: UserWithToken;

  const resolvedIssue = (fields: Partial<Issue> = {}) =>
    createIssue(testApp.dataSource, { status: 'Resolved', feedbackRequestedAt: new Date(Date.now() - DAY_MS), ...fields });

  const submit = (body: Record<string, unknown>) => testApp.http().post('/api/support-feedbacks/').send(body);

  beforeAll(async () => {
    backend = new RecordingSupportBackend();
    testApp = await createSupportTestApp(backend);
    tokens = testApp.app.get(FeedbackTokenService);
    staff = await createStaff(testApp.dataSource);
    support = await createUser(testApp.dataSource, { isSupport: true });
    user = await createUser(testApp.dataSource);
  });

  afterAll(async () => {
    await testApp.close();
  });

  beforeEach(async () => {
    backend.calls = [];
    backend.feedbackError = undefined;
    await testApp.app.get(SettingsService).update({ ISSUE_FEEDBACK_TOKEN_PERIOD: 7, HOMEPORT_URL: 'https://portal.example.com/' });
  });

  describe('submission', () => {
    it('accepts feedback without login', async () => {
      const issue = await resolvedIssue();

      const response = await submit({ token: tokens.tokenFor(issue), evaluation: 9, comment: 'Quick and kind.' }).expect(201);

      expect(response.body).toEqual({
        uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
        issue: expect.stringMatching(new RegExp(`/api/support-issues/${formatUuid(issue.uuid)}/$`)),
        comment: 'Quick and kind.',
        evaluation: 9,
      });
      expect(backend.callsOf('createFeedback')).toEqual([{ method: 'createFeedback', subject: expect.any(String), issue: issue.uuid }]);
      const stored = await testApp.dataSource.getRepository(Feedback).findOneByOrFail({ issueId: issue.id });
      expect(stored.state).toBe(SyncState.OK);
    });

    it('accepts feedback from a logged-in user', async () => {
      const issue = await resolvedIssue();
      await submit({ token: tokens.tokenFor(issue), evaluation: 10 }).set('Authorization', user.auth).expect(201);
    });

    it('defaults the comment to empty', async () => {
      const issue = await resolvedIssue();
      const response = await submit({ token: tokens.tokenFor(issue), evaluation: 4 }).expect(201);
      expect(response.body.comment).toBe('');
    });

    it('rejects an expired token', async () => {
      const issue = await resolvedIssue({ feedbackRequestedAt: new Date(Date.now() - 8 * DAY_MS) });
      const response = await submit({ token: tokens.tokenFor(issue), evaluation: 5 }).expect(400);
      expect(response.body).toEqual({ token: ['Token has expired.'] });
    });

    it('honours a longer token period', async () => {
      await testApp.app.get(SettingsService).update({ ISSUE_FEEDBACK_TOKEN_PERIOD: 10 });
      const issue = await resolvedIssue({ feedbackRequestedAt: new Date(Date.now() - 8 * DAY_MS) });
      await submit({ token: tokens.tokenFor(issue), evaluation: 5 }).expect(201);
    });

    it('rejects a forged token', async () => {
      const issue = await resolvedIssue();
      const forged = createFeedbackToken('another-secret-that-is-long-enough-0000000', issue.uuid, issue.feedbackRequestedAt as Date);
      const response = await submit({ token: forged, evaluation: 5 }).expect(400);
      expect(response.body).toEqual({ token: ['Token is invalid.'] });
    });

    it('rejects a token moved to another issue', async () => {
      const issue = await resolvedIssue();
      const other = await resolvedIssue();
      const [, issuedAt, signature] = tokens.tokenFor(issue).split(':');
      const response = await submit({ token: `${formatUuid(other.uuid)}:${issuedAt}:${signature}`, evaluation: 5 }).expect(400);
      expect(response.body).toEqual({ token: ['Token is invalid.'] });
    });

    it('rejects a token of an unknown issue', async () => {
      const token = createFeedbackToken(testApp.config.secretKey as string, randomUUID(), new Date());
      const response = await submit({ token, evaluation: 5 }).expect(400);
      expect(response.body).toEqual({ non_field_errors: ['The issue of this feedback link was not found.'] });
    });

    it('rejects a reused token', async () => {
      const issue = await resolvedIssue();
      const token = tokens.tokenFor(issue);
      await submit({ token, evaluation: 7 }).expect(201);

      const response = await submit({ token, evaluation: 8 }).expect(400);

      expect(response.body).toEqual({ non_field_errors: ['Feedback for this issue already exists.'] });
      expect(await testApp.dataSource.getRepository(Feedback).countBy({ issueId: issue.id })).toBe(1);
    });

    it.each([0, 11, 5.5, 'abc', '5', null])('rejects the evaluation %p', async (evaluation) => {
      const issue = await resolvedIssue();
      const response = await submit({ token: tokens.tokenFor(issue), evaluation }).expect(400);
      expect(Object.keys(response.body)).toEqual(['evaluation']);
    });

    it('names the choice for evaluation 0', async () => {
      const issue = await resolvedIssue();
      const response = await submit({ token: tokens.tokenFor(issue), evaluation: 0 }).expect(400);
      expect(response.body).toEqual({ evaluation: ['"0" is not a valid choice. Send an integer from 1 to 10.'] });
    });

    it('requires a token and an evaluation', async () => {
      const response = await submit({}).expect(400);
      expect(response.body).toEqual({ token: ['This field is required.'], evaluation: ['This field is required.'] });
    });

    it('keeps feedback the backend failed to take', async () => {
      backend.feedbackError = new Error('Jira is down');
      const issue = await resolvedIssue();

      await submit({ token: tokens.tokenFor(issue), evaluation: 3 }).expect(201);

      const stored = await testApp.dataSource.getRepository(Feedback).findOneByOrFail({ issueId: issue.id });
      expect(stored.state).toBe(SyncState.ERRED);
    });

    it('rejects a bad login token even here', async () => {
      const issue = await resolvedIssue();
      await submit({ token: tokens.tokenFor(issue), evaluation: 5 }).set('Authorization', 'Token not-a-real-token').expect(401);
    });
  });

  describe('reading', () => {
    let alice: User;
    let bob: User;
    let aliceIssue: Issue;
    let bobIssue: Issue;
    let lateIssue: Issue;

    beforeAll(async () => {
      await testApp.dataSource.getRepository(Feedback).deleteAll();
      alice = (await createUser(testApp.dataSource, { firstName: 'Alice', lastName: 'Anders' })).user;
      bob = (await createUser(testApp.dataSource, { firstName: 'Bob', lastName: 'Berg' })).user;
      aliceIssue = await createIssue(testApp.dataSource, { key: 'SUP-1001', summary: 'Printer jam', callerId: alice.id });
      bobIssue = await createIssue(testApp.dataSource, { key: 'SUP-1002', summary: 'VPN access', callerId: bob.id });
      lateIssue = await createIssue(testApp.dataSource, { key: 'SUP-1003', summary: 'Quota', callerId: bob.id });
      await createFeedbackRow(testApp.dataSource, aliceIssue, { evaluation: 10, comment: 'Great', created: new Date('2025-03-01T08:00:00Z') });
      await createFeedbackRow(testApp.dataSource, bobIssue, { evaluation: 2, comment: 'Slow', created: new Date('2025-03-31T18:30:00Z') });
      await createFeedbackRow(testApp.dataSource, lateIssue, { evaluation: 7, created: new Date('2025-04-01T00:00:00Z') });
    });

    const list = async (query: string, who: UserWithToken = staff): Promise<FeedbackRow[]> =>
      (await testApp.http().get(`/api/support-feedbacks/${query}`).set('Authorization', who.auth).expect(200)).body;

    const keys = (rows: FeedbackRow[]) => rows.map((row) => row.issue_key);

    it('lists with the documented fields, oldest first', async () => {
      const rows = await list('');

      expect(keys(rows)).toEqual(['SUP-1001', 'SUP-1002', 'SUP-1003']);
      expect(rows[0]).toEqual({
        uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
        created: '2025-03-01T08:00:00.000Z',
        modified: expect.any(String),
        state: 'OK',
        evaluation: 10,
        comment: 'Great',
        issue_uuid: formatUuid(aliceIssue.uuid),
        user_full_name: 'Alice Anders',
        issue_key: 'SUP-1001',
        issue_summary: 'Printer jam',
      });
    });

    it('lets global support read', async () => {
      expect(await list('', support)).toHaveLength(3);
    });

    it('rejects a plain user with 403', async () => {
      await testApp.http().get('/api/support-feedbacks/').set('Authorization', user.auth).expect(403);
    });

    it('rejects anonymous with 401', async () => {
      await testApp.http().get('/api/support-feedbacks/').expect(401);
    });

    it.each([
      ['o=-created', ['SUP-1003', 'SUP-1002', 'SUP-1001']],
      ['o=evaluation', ['SUP-1002', 'SUP-1003', 'SUP-1001']],
      ['o=-user_full_name,created', ['SUP-1002', 'SUP-1003', 'SUP-1001']],
    ])('orders by %s', async (query, expected) => {
      expect(keys(await list(`?${query}`))).toEqual(expected);
    });

    it('rejects an unknown ordering', async () => {
      await testApp.http().get('/api/support-feedbacks/?o=summary').set('Authorization', staff.auth).expect(400);
    });

    it('treats a bare created_before date as the whole day', async () => {
      expect(keys(await list('?created_after=2025-03-01&created_before=2025-03-31'))).toEqual(['SUP-1001', 'SUP-1002']);
    });

    it('compares date-times exactly', async () => {
      expect(keys(await list('?created_before=2025-03-31T18:30:00Z'))).toEqual(['SUP-1001', 'SUP-1002']);
      expect(keys(await list('?created_after=2025-03-31T18:30:01Z'))).toEqual(['SUP-1003']);
    });

    it('rejects a malformed date', async () => {
      const response = await testApp.http().get('/api/support-feedbacks/?created_after=yesterday').set('Authorization', staff.auth).expect(400);
      expect(Object.keys(response.body)).toEqual(['created_after']);
    });

    it('filters by repeated evaluations and labels', async () => {
      expect(keys(await list('?evaluation=10%20-%20Very%20positive&evaluation=2'))).toEqual(['SUP-1001', 'SUP-1002']);
      expect(keys(await list('?evaluation=7'))).toEqual(['SUP-1003']);
    });

    it('rejects an evaluation outside 1 to 10', async () => {
      await testApp.http().get('/api/support-feedbacks/?evaluation=11').set('Authorization', staff.auth).expect(400);
      await testApp.http().get('/api/support-feedbacks/?evaluation=Very%20good').set('Authorization', staff.auth).expect(400);
    });

    it('filters by issue and caller', async () => {
      expect(keys(await list(`?issue=${encodeURIComponent(`http://x/api/support-issues/${formatUuid(bobIssue.uuid)}/`)}`))).toEqual(['SUP-1002']);
      expect(keys(await list(`?issue_uuid=${formatUuid(aliceIssue.uuid)}`))).toEqual(['SUP-1001']);
      expect(keys(await list(`?user=${encodeURIComponent(`http://x/api/users/${formatUuid(bob.uuid)}/`)}`))).toEqual(['SUP-1002', 'SUP-1003']);
      expect(keys(await list(`?user_uuid=${formatUuid(alice.uuid)}`))).toEqual(['SUP-1001']);
    });

    it('filters by key, name and search text', async () => {
      expect(keys(await list('?issue_key=SUP-1003'))).toEqual(['SUP-1003']);
      expect(keys(await list('?user_full_name=alice'))).toEqual(['SUP-1001']);
      expect(keys(await list('?query=vpn'))).toEqual(['SUP-1002']);
      expect(keys(await list('?query=berg'))).toEqual(['SUP-1002', 'SUP-1003']);
      expect(keys(await list('?query=SUP-1001'))).toEqual(['SUP-1001']);
    });

    it('rejects a malformed issue_uuid', async () => {
      const response = await testApp.http().get('/api/support-feedbacks/?issue_uuid=nope').set('Authorization', staff.auth).expect(400);
      expect(response.body).toEqual({ issue_uuid: ['Enter a valid UUID.'] });
    });

    it('retrieves one feedback', async () => {
      const [first] = await list('');
      const response = await testApp.http().get(`/api/support-feedbacks/%7B${first.uuid}%7D/`).set('Authorization', support.auth).expect(200);
      expect(response.body).toEqual(first);
      await testApp.http().get(`/api/support-feedbacks/${first.uuid}/`).set('Authorization', user.auth).expect(403);
      await testApp.http().get(`/api/support-feedbacks/${randomUUID()}/`).set('Authorization', staff.auth).expect(404);
    });

    it.each(['put', 'patch', 'delete'] as const)('rejects %s with 405', async (method) => {
      const [first] = await list('');
      await testApp.http()[method](`/api/support-feedbacks/${first.uuid}/`).set('Authorization', staff.auth).send({}).expect(405);
    });
  });

  describe('feedback-link command', () => {
    const run = async (args: string[]) => {
      const output = { stdout: '', stderr: '' };
      const code = await feedbackLinkCommand(args, {
        stdout: { write: (text: string) => Boolean((output.stdout += text)) },
        stderr: { write: (text: string) => Boolean((output.stderr += text)) },
        openContext: async () => ({ get: testApp.app.get.bind(testApp.app), close: async () => undefined }),
      });
      return { code, ...output };
    };

    it('prints a working link', async () => {
      const issue = await resolvedIssue();

      const result = await run([formatUuid(issue.uuid)]);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^https:\/\/portal\.example\.com\/support\/feedback\/\?token=[^\s]+\n$/);
      const token = decodeURIComponent(new URL(result.stdout.trim()).searchParams.get('token') as string);
      await submit({ token, evaluation: 6 }).expect(201);
    });

    it('adds the missing slash to HOMEPORT_URL', async () => {
      await testApp.app.get(SettingsService).update({ HOMEPORT_URL: 'https://portal.example.com/app' });
      const issue = await resolvedIssue();
      expect((await run([issue.uuid])).stdout).toMatch(/^https:\/\/portal\.example\.com\/app\/support\/feedback\/\?token=/);
    });

    it('fails for an issue without a feedback request', async () => {
      const issue = await createIssue(testApp.dataSource);
      const result = await run([formatUuid(issue.uuid)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('has no feedback request yet');
      expect(result.stdout).toBe('');
    });

    it('fails for an unknown issue', async () => {
      const result = await run([formatUuid(randomUUID())]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('was not found');
    });

    it('rejects wrong arguments', async () => {
      expect((await run([])).code).toBe(2);
      expect((await run(['a', 'b'])).code).toBe(2);
      expect((await run(['not-a-uuid'])).code).toBe(1);
    });

    it('opens its own database connection', async () => {
      const issue = await resolvedIssue();
      const saved = { DATABASE_URL: process.env.DATABASE_URL, SECRET_KEY: process.env.SECRET_KEY, LOG_LEVEL: process.env.LOG_LEVEL };
      process.env.DATABASE_URL = testApp.database.url;
      process.env.SECRET_KEY = testApp.config.secretKey;
      let stdout = '';
      try {
        const code = await feedbackLinkCommand([issue.uuid], { stdout: { write: (text: string) => Boolean((stdout += text)) } });
        expect(code).toBe(0);
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      const token = new URL(stdout.trim()).searchParams.get('token') as string;
      await submit({ token, evaluation: 8 }).expect(201);
    });
  });
});
