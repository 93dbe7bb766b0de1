import { SETTING_KEYS } from '../../src/settings/settings.registry';
import { SettingsService } from '../../src/settings/settings.service';
import { SyncState } from '../../src/support/common/sync-state';
import { startFakeJira, type FakeJira, type LoggedRequest } from '../fakes/jira';
import { configureJira, fileIssue, JiraSyncWorld, localComments, localIssue, startJiraSyncWorld } from '../support/jira-sync-app';
import { syncTestConfig } from '../support/sync-test-app';

const COMMENT_ROUTE = '/rest/servicedeskapi/request/{key}/comment';
const MAX_ATTEMPTS = 4;

interface DeadRowView {
  url: string;
  uuid: string;
  issue_uuid: string | null;
  operation: string;
  attempts: number;
  last_error: string | null;
  modified: string;
}

interface OutboxStatusView {
  pending: number;
  in_progress: number;
  dead: number;
  depth: number;
  dead_rows: DeadRowView[];
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Returns the logged requests that posted a comment containing `text`, each with the status Jira returned. */
function commentPosts(fake: FakeJira, text: string): LoggedRequest[] {
  return fake.requests().filter((request) => request.method === 'POST' && /\/comment$/.test(request.path) && request.rawBody.includes(text));
}

function successfulCommentPosts(fake: FakeJira, text: string): LoggedRequest[] {
  return commentPosts(fake, text).filter((request) => request.status !== undefined && request.status >= 200 && request.status < 300);
}

describe.each([
  { fault: 'a non-retryable 400', status: 400, attempts: 1, message: 'Comment body was rejected by a workflow validator.' },
  { fault: 'a 503 on every attempt', status: 503, attempts: MAX_ATTEMPTS, message: 'Jira is under maintenance.' },
])('dead outbox row after $fault', ({ status, attempts, message }) => {
  let world: JiraSyncWorld;
  let fake: FakeJira;

  beforeAll(async () => {
    // The background workers run, so retries, back-off and the circuit breaker act on their own.
    const config = syncTestConfig({ workersEnabled: true });
    config.outbox = { ...config.outbox, maxAttempts: MAX_ATTEMPTS, retryBaseMs: 100, deliverWaitMs: 2_000 };
    config.circuit = { failureThreshold: 2, coolDownMs: 200 };
    world = await startJiraSyncWorld(config);
    fake = await startFakeJira({ flavour: 'cloud' });
    await configureJira(world, fake);
  });

  afterAll(async () => {
    await world.testApp.app.get(SettingsService).update(Object.fromEntries(SETTING_KEYS.map((key) => [key, null])));
    await fake.close();
    await world.testApp.close();
  });

  async function outboxStatus(): Promise<OutboxStatusView> {
    const response = await world.testApp.http().get('/api/support-sync-status/').set('Authorization', world.staff.auth).expect(200);
    return response.body.backends.find((backend: { backend_name: string }) => backend.backend_name === 'atlassian').outbox;
  }

  function postComment(issueUuid: string, description: string) {
    return world.testApp.http().post(`/api/support-issues/${issueUuid}/comment/`).set('Authorization', world.caller.auth).send({ description });
  }

  it('shows the row with its error and delivers it once on replay', async () => {
    const created = await fileIssue(world);
    await waitFor('the issue to reach Jira', async () => (await localIssue(world, created.uuid))?.key === 'SUP-1');
    fake.addFault({ method: 'POST', path: COMMENT_ROUTE, status, message });

    await postComment(created.uuid, 'Restarted the VPN gateway').expect(201);
    await postComment(created.uuid, 'Please try again now').expect(201);

    await waitFor('the first comment to be parked as dead', async () => (await outboxStatus()).dead === 1);
    const parked = await outboxStatus();
    expect(parked.dead_rows).toEqual([
      expect.objectContaining({ issue_uuid: created.uuid, operation: 'comment.create', attempts, last_error: expect.stringContaining(message) }),
    ]);
    // The dead row holds back the later comment of its issue.
    expect(parked).toMatchObject({ pending: 1, in_progress: 0, depth: 1 });
    expect(fake.commentRecords('SUP-1')).toEqual([]);
    expect(commentPosts(fake, 'Restarted the VPN gateway').map((request) => request.status)).toEqual(Array(attempts).fill(status));
    expect(commentPosts(fake, 'Please try again now')).toEqual([]);
    const issue = (await localIssue(world, created.uuid))!;
    expect((await localComments(world, issue)).map((comment) => comment.state)).toEqual([SyncState.ERRED, SyncState.CREATION_SCHEDULED]);

    fake.clearFaults();
    const [row] = parked.dead_rows;
    expect(row.last_error).toMatch(new RegExp(`^HTTP ${status}: `));
    const replayed = await world.testApp.http().post(new URL(row.url).pathname + 'replay/').set('Authorization', world.staff.auth).expect(200);
    expect(replayed.body).toMatchObject({ uuid: row.uuid, status: 'pending', attempts: 0 });

    await waitFor('both comments to be delivered', async () => {
      const outbox = await outboxStatus();
      return outbox.dead === 0 && outbox.depth === 0;
    });
    expect((await outboxStatus()).dead_rows).toEqual([]);
    expect(successfulCommentPosts(fake, 'Restarted the VPN gateway')).toHaveLength(1);
    expect(successfulCommentPosts(fake, 'Please try again now')).toHaveLength(1);
    const records = fake.commentRecords('SUP-1');
    expect(records.map((record) => record.body)).toEqual(['[Jane Doe]: Restarted the VPN gateway', '[Jane Doe]: Please try again now']);
    const comments = await localComments(world, issue);
    expect(comments.map((comment) => [comment.state, comment.backendId])).toEqual(records.map((record) => [SyncState.OK, record.id]));
  });
});
