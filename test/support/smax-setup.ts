import { DataSource, DeepPartial } from 'typeorm';

import { buildDataSourceOptions } from '../../src/database/data-source-options';
import type { User } from '../../src/identity/users/user.entity';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import type { SmaxBackend } from '../../src/support/backends/smax/smax.backend';
import type { SmaxBackendOptions } from '../../src/support/backends/smax/smax.config';
import { Comment } from '../../src/support/comments/comment.entity';
import { SyncState } from '../../src/support/common/sync-state';
import { Issue } from '../../src/support/issues/issue.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { FakeSmax } from '../fakes/smax/fake-smax';
import { RequestLogEntry } from '../fakes/smax/request-log';
import { INTEGRATION_USER } from '../fakes/smax/seed';
import { createTestDatabase, TestDatabase } from './test-database';

/** Options of a SMAX adapter that talks to `fake` as the integration user, with short waits. */
export function smaxOptionsFor(fake: FakeSmax, overrides: Partial<SmaxBackendOptions> = {}): SmaxBackendOptions {
  return {
    apiUrl: fake.url,
    tenantId: fake.tenantId,
    login: INTEGRATION_USER.login,
    password: INTEGRATION_USER.password,
    authCookieName: 'LWSSO_COOKIE_KEY',
    verifySsl: true,
    timeoutMs: 5_000,
    readRetries: 2,
    maxRetryDelayMs: 1_000,
    organisationField: '',
    projectField: '',
    affectedResourceField: '',
    creationSourceName: '',
    requestsOffering: '',
    timesToPull: 3,
    secondsToWait: 0,
    ...overrides,
  };
}

/** A migrated database and a data source on it, for specs that need tables but not the whole app. */
export interface MigratedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function openMigratedDatabase(): Promise<MigratedDatabase> {
  const database: TestDatabase = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions({ url: database.url, embedded: database.embedded }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** Lists the fake's logged REST and login calls as `METHOD path?query` lines. */
export function callLines(fake: FakeSmax): string[] {
  return fake.requestLog().map((entry) => `${entry.method} ${entry.url}`);
}

/** Parses the JSON body of a logged request. */
export function jsonOf(entry: RequestLogEntry): unknown {
  return JSON.parse(entry.body.toString('utf8'));
}

/** Logged calls whose method and path match, in order. */
export function callsTo(fake: FakeSmax, method: string, pathSuffix: string): RequestLogEntry[] {
  return fake.requestLog().filter((entry) => entry.method === method && entry.path.endsWith(pathSuffix));
}

/** Deletes every support row, so SMAX ids that restart after `fake.reset()` are free again. */
export async function clearSupportTables(dataSource: DataSource): Promise<void> {
  await dataSource.query('DELETE FROM attachments');
  await dataSource.query('DELETE FROM comments');
  await dataSource.query('DELETE FROM issues');
  await dataSource.query('DELETE FROM support_users');
}

/** The SMAX support user of `user`, created without a Person Id as the API creates it. */
export async function supportUserOf(dataSource: DataSource, user: User): Promise<SupportUser> {
  const repository = dataSource.getRepository(SupportUser);
  const existing = await repository.findOneBy({ userId: user.id, backendName: 'smax' });
  return existing ?? repository.save({ name: user.fullName, userId: user.id, backendName: 'smax', backendId: null, isActive: true });
}

/** Stores an issue reported by `user` as the API does before it calls the backend. */
export async function saveIssue(dataSource: DataSource, user: User, fields: DeepPartial<Issue> = {}): Promise<Issue> {
  const reporter = await supportUserOf(dataSource, user);
  const saved = await dataSource.getRepository(Issue).save({
    backendName: 'smax',
    summary: 'VPN not reachable',
    type: 'INFORMATIONAL',
    description: 'Connection times out since 09:00.\nFrom every office.',
    callerId: user.id,
    reporterId: reporter.id,
    ...fields,
  });
  return dataSource.getRepository(Issue).findOneByOrFail({ id: saved.id });
}

/** Creates the issue in SMAX through the backend and stores what it returns, as the API does. */
export async function pushIssue(dataSource: DataSource, backend: SmaxBackend, issue: Issue): Promise<Issue> {
  await dataSource.transaction(async (manager) => {
    Object.assign(issue, await backend.createIssue(issue, manager));
    await manager.save(issue);
  });
  return dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
}

/** Stores a comment of `user` on `issue` that is not pushed yet. */
export async function saveComment(dataSource: DataSource, issue: Issue, user: User, fields: DeepPartial<Comment> = {}): Promise<Comment> {
  const author = await supportUserOf(dataSource, user);
  return dataSource.getRepository(Comment).save({
    issueId: issue.id,
    authorId: author.id,
    description: 'Please check the gateway.',
    isPublic: true,
    backendName: 'smax',
    state: SyncState.CREATION_SCHEDULED,
    ...fields,
  });
}

/** Pushes a stored comment and records its SMAX id, as the API does. */
export async function pushComment(dataSource: DataSource, backend: SmaxBackend, issue: Issue, comment: Comment): Promise<Comment> {
  await dataSource.transaction(async (manager) => {
    const remote = await backend.createComment(comment, issue, manager);
    await manager.update(Comment, comment.id, { backendId: remote.backendId ?? null, state: SyncState.OK });
  });
  return dataSource.getRepository(Comment).findOneByOrFail({ id: comment.id });
}

/** Stores an attachment of `user` on `issue` that is not pushed yet. */
export async function saveAttachment(
  dataSource: DataSource,
  issue: Issue,
  user: User,
  content: Buffer,
  fields: DeepPartial<Attachment> = {},
): Promise<Attachment> {
  const author = await supportUserOf(dataSource, user);
  return dataSource.getRepository(Attachment).save({
    issueId: issue.id,
    authorId: author.id,
    fileName: 'report.txt',
    mimeType: 'text/plain',
    fileSize: content.length,
    storageKey: `local/${issue.uuid}/${Date.now()}`,
    backendName: 'smax',
    backendId: '',
    state: SyncState.CREATION_SCHEDULED,
    ...fields,
  });
}

/** Pushes a stored attachment and records its SMAX file id, as the API does. */
export async function pushAttachment(
  dataSource: DataSource,
  backend: SmaxBackend,
  issue: Issue,
  attachment: Attachment,
  content: Buffer,
): Promise<Attachment> {
  await dataSource.transaction(async (manager) => {
    const remote = await backend.createAttachment(attachment, issue, content, manager);
    await manager.update(Attachment, attachment.id, { backendId: remote.backendId ?? '', state: SyncState.OK });
  });
  return dataSource.getRepository(Attachment).findOneByOrFail({ id: attachment.id });
}

/** Runs `syncIssue` in a transaction, as the API's sync action does. */
export async function syncIssue(dataSource: DataSource, backend: SmaxBackend, issue: Issue): Promise<Issue> {
  const current = await dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
  await dataSource.transaction((manager) => backend.syncIssue(current, manager));
  return dataSource.getRepository(Issue).findOneByOrFail({ id: issue.id });
}

/** Polls `condition` every 10 ms until it holds; rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
