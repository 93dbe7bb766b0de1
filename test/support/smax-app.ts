import { Logger } from '@nestjs/common';

import { SettingsChanges, SettingsService } from '../../src/settings/settings.service';
import { Comment } from '../../src/support/comments/comment.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { InboxService } from '../../src/support/sync/inbox/inbox.service';
import { OutboxWorker } from '../../src/support/sync/outbox/outbox-worker.service';
import { FakeSmax, startFakeSmax } from '../fakes/smax/fake-smax';
import { EmsProperties } from '../fakes/smax/smax-types';
import { INTEGRATION_USER } from '../fakes/smax/seed';
import { createSyncTestApp, makeEverythingDue, SyncTestApp } from './sync-test-app';

/** The whole app listening on loopback, with SMAX active against a fake of its own. */
export interface SmaxTestApp extends SyncTestApp {
  fake: FakeSmax;
  /** Base URL of the app, for webhook targets of the fake. */
  url: string;
}

/** Builds the runtime settings that point the SMAX adapter at `fake`, with short read-back waits. */
export function smaxSettingsFor(fake: FakeSmax): SettingsChanges {
  return {
    WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE: 'smax',
    SMAX_API_URL: fake.url,
    SMAX_TENANT_ID: fake.tenantId,
    SMAX_LOGIN: INTEGRATION_USER.login,
    SMAX_PASSWORD: INTEGRATION_USER.password,
    SMAX_AUTH_COOKIE_NAME: 'LWSSO_COOKIE_KEY',
    SMAX_TIMES_TO_PULL: 3,
    SMAX_SECONDS_TO_WAIT: 0,
  };
}

/**
 * Boots the app with sync workers off, makes it listen on 127.0.0.1 so the fake can send it
 * webhooks, and activates SMAX through `SettingsService.update`.
 */
export async function createSmaxTestApp(extraSettings: SettingsChanges = {}): Promise<SmaxTestApp> {
  Logger.overrideLogger(false);
  const fake = await startFakeSmax();
  const testApp = await createSyncTestApp();
  await testApp.app.listen(0, '127.0.0.1');
  const url = (await testApp.app.getUrl()).replace('[::1]', '127.0.0.1');
  await testApp.app.get(SettingsService).update({ ...smaxSettingsFor(fake), ...extraSettings });
  const closeApp = testApp.close;
  return Object.assign(testApp, {
    fake,
    url,
    close: async () => {
      await closeApp();
      await fake.close();
    },
  });
}

/** Forgets the fake's faults, webhook targets, webhook faults and log, but keeps its records, so Ids never repeat. */
export function resetFakeSmax(fake: FakeSmax): void {
  fake.clearFaults();
  fake.clearWebhookTargets();
  fake.clearWebhookFaults();
  fake.clearWebhookDeliveries();
  fake.clearRequestLog();
}

/** Waits until the fake sent its webhooks and the inbox processed them. */
export async function settleWebhooks(testApp: SmaxTestApp): Promise<void> {
  await testApp.fake.waitForWebhooks(10_000);
  await testApp.app.get(InboxService).whenIdle();
}

/** Delivers every open outbox row now, skipping back-off waits. */
export async function drainOutbox(testApp: SmaxTestApp): Promise<void> {
  await makeEverythingDue(testApp);
  await testApp.app.get(OutboxWorker).drainUntilIdle();
}

/** Lists the fake's Requests whose description contains the reference line of `issueUuid`. */
export function requestsOf(fake: FakeSmax, issueUuid: string): EmsProperties[] {
  const reference = `Deskbridge reference: ${issueUuid.replace(/-/g, '')}`;
  return fake.listEntities('Request').filter((request) => String(request.Description ?? '').includes(reference));
}

/** Logins the adapter made, as logged by the fake. */
export function loginCount(fake: FakeSmax): number {
  return fake.requestLog().filter((entry) => entry.path.includes('/authenticate/login')).length;
}

export function findIssue(testApp: SmaxTestApp, uuid: string): Promise<Issue> {
  return testApp.dataSource.getRepository(Issue).findOneByOrFail({ uuid });
}

export function commentsOf(testApp: SmaxTestApp, issue: Issue): Promise<Comment[]> {
  return testApp.dataSource.getRepository(Comment).find({ where: { issueId: issue.id }, relations: { author: true }, order: { id: 'ASC' } });
}
