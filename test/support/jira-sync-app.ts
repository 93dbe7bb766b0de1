import type { AddressInfo } from 'node:net';

import { formatUuid } from '../../src/common/http/uuid';
import type { Customer } from '../../src/identity/customers/customer.entity';
import type { Project } from '../../src/identity/projects/project.entity';
import { FileStorage } from '../../src/storage/file-storage';
import { Comment } from '../../src/support/comments/comment.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { InboxWorker } from '../../src/support/sync/inbox/inbox-worker.service';
import { InboxService } from '../../src/support/sync/inbox/inbox.service';
import { OutboxWorker } from '../../src/support/sync/outbox/outbox-worker.service';
import { PullRunner } from '../../src/support/sync/pull/pull-runner.service';
import { SYNC_CONFIG, SyncConfig } from '../../src/support/sync/sync.config';
import type { FakeJira } from '../fakes/jira';
import { createCustomer, createProject, createStaff, createUser, grantRole, UserWithToken } from './factories';
import { jiraOverrideSettings } from './jira-settings';
import { makeEverythingDue, syncTestConfig } from './sync-test-app';
import { createTestApp, TestApp } from './test-app';

export const WEBHOOK_SECRET = 'jira-webhook-secret';

/** The app listening on a loopback port (so the fake can post webhooks to it), its attachment store and test users. */
export interface JiraSyncWorld {
  testApp: TestApp;
  /** The app's sync config; services read it when they use it, so a test may change fields. */
  syncConfig: SyncConfig;
  /** The app's file storage, where files pulled from Jira land and uploads are read from. */
  store: FileStorage;
  /** Base URL of the app, e.g. `http://127.0.0.1:41234`. */
  appUrl: string;
  staff: UserWithToken;
  support: UserWithToken;
  caller: UserWithToken;
  customer: Customer;
  project: Project;
}

/**
 * Boots the app with `config`, listening on 127.0.0.1. By default it has test sync timings
 * and a pull overlap of 0; the overlap is also the time the Jira deliverer gives a lagging
 * search before it repeats a lost create, so a failed create is retried at once.
 */
export async function startJiraSyncWorld(
  config: SyncConfig = syncTestConfig({ pull: { overlapMs: 0, reconcileGraceMs: 0, reconcileMaxGoneRatio: 0.5 } }),
): Promise<JiraSyncWorld> {
  const syncConfig = config;
  const testApp = await createTestApp({ configure: (builder) => builder.overrideProvider(SYNC_CONFIG).useValue(syncConfig) });
  await testApp.app.listen(0, '127.0.0.1');
  const port = (testApp.app.getHttpServer().address() as AddressInfo).port;
  const dataSource = testApp.dataSource;
  const customer = await createCustomer(dataSource, { name: 'Acme Research' });
  const project = await createProject(dataSource, customer, { name: 'Climate Models' });
  const caller = await createUser(dataSource, { firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe', email: 'jane.doe@example.org' });
  await grantRole(dataSource, caller.user, 'CUSTOMER.OWNER', customer);
  return {
    testApp,
    syncConfig,
    store: testApp.app.get(FileStorage),
    appUrl: `http://127.0.0.1:${port}`,
    staff: await createStaff(dataSource, { fullName: 'Sam Staff', email: 'staff@example.org' }),
    support: await createUser(dataSource, { isSupport: true, fullName: 'Sue Support', email: 'support@example.org' }),
    caller,
    customer,
    project,
  };
}

/** Posts the Jira settings through `/api/override-settings/`, as an admin would. */
export async function configureJira(world: JiraSyncWorld, fake: FakeJira, extra: Record<string, unknown> = {}): Promise<void> {
  await world.testApp
    .http()
    .post('/api/override-settings/')
    .set('Authorization', world.staff.auth)
    .send({ ...jiraOverrideSettings(fake, WEBHOOK_SECRET), ...extra })
    .expect(200);
}

/** Files an issue through the API as the caller, for the caller's customer and project. */
export async function fileIssue(world: JiraSyncWorld, summary = 'VPN is down'): Promise<{ uuid: string; key: string }> {
  const response = await world.testApp
    .http()
    .post('/api/support-issues/')
    .set('Authorization', world.caller.auth)
    .send({
      summary,
      description: 'Connection times out since 09:00.',
      type: 'Service Request',
      customer: `http://127.0.0.1/api/customers/${formatUuid(world.customer.uuid)}/`,
      project: `http://127.0.0.1/api/projects/${formatUuid(world.project.uuid)}/`,
    })
    .expect(201);
  return { uuid: response.body.uuid, key: response.body.key };
}

/**
 * Waits until nothing moves any more: webhooks the fake still sends, deliveries the
 * inbox processes, and outbox rows and inbox retries made due at once, so back-off
 * waits do not slow the specs.
 */
export async function settle(world: JiraSyncWorld, fake: FakeJira): Promise<void> {
  const app = world.testApp.app;
  for (let round = 0; round < 5; round += 1) {
    await fake.whenWebhooksIdle();
    await app.get(InboxService).whenIdle();
    await makeEverythingDue(world.testApp);
    const pushed = await app.get(OutboxWorker).drainUntilIdle();
    const processed = await app.get(InboxWorker).drainUntilIdle();
    await app.get(InboxService).whenIdle();
    if (pushed === 0 && processed === 0 && !(await fake.deliveries().some((delivery) => delivery.state === 'scheduled' || delivery.state === 'in-flight'))) return;
  }
}

/** Runs the scheduled issue pull once, as the next tick would. */
export function pullNow(world: JiraSyncWorld) {
  return world.testApp.app.get(PullRunner).pullAll();
}

export async function localIssue(world: JiraSyncWorld, uuid: string): Promise<Issue | null> {
  return world.testApp.dataSource.getRepository(Issue).findOneBy({ uuid: uuid.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5') });
}

export async function localComments(world: JiraSyncWorld, issue: Issue): Promise<Comment[]> {
  return world.testApp.dataSource.getRepository(Comment).find({ where: { issueId: issue.id }, order: { id: 'ASC' } });
}

/**
 * Lists the comment descriptions of an issue visible to `user` through the API, sorted by
 * text, because comments pulled together can share a creation time.
 */
export async function visibleComments(world: JiraSyncWorld, user: UserWithToken, issueUuid: string): Promise<string[]> {
  const response = await world.testApp.http().get(`/api/support-comments/?issue_uuid=${issueUuid}&page_size=100`).set('Authorization', user.auth).expect(200);
  return (response.body as Array<{ description: string }>).map((comment) => comment.description).sort();
}
