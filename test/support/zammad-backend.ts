import { DataSource, DeepPartial } from 'typeorm';

import type { User } from '../../src/identity/users/user.entity';
import { Comment } from '../../src/support/comments/comment.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { ZammadClient } from '../../src/support/backends/zammad/zammad.client';
import { ZammadSettings } from '../../src/support/backends/zammad/zammad.config';
import { ZammadBackend } from '../../src/support/backends/zammad/zammad.backend';
import type { FakeZammad } from '../fakes/zammad';
import { MemoryAttachmentStore } from './memory-attachment-store';

export function zammadTestSettings(fake: FakeZammad, overrides: Partial<ZammadSettings> = {}): ZammadSettings {
  return {
    apiUrl: fake.url,
    token: fake.tokens.integration,
    group: '',
    articleType: 'email',
    commentMarker: 'Created by Waldur',
    commentPrefix: 'User: {name}',
    commentCooldownMinutes: 5,
    webhookSecret: '',
    siteName: 'Deskbridge',
    ...overrides,
  };
}

export interface ZammadBackendUnderTest {
  backend: ZammadBackend;
  client: ZammadClient;
  store: MemoryAttachmentStore;
}

/** Builds a Zammad adapter on the fake with short timeouts and an in-memory attachment store. */
export function createZammadBackend(
  fake: FakeZammad,
  dataSource: DataSource,
  options: { settings?: Partial<ZammadSettings>; feedbackEnabled?: boolean; client?: ZammadClient; withoutStore?: boolean } = {},
): ZammadBackendUnderTest {
  const settings = zammadTestSettings(fake, options.settings);
  const client = options.client ?? new ZammadClient({ baseUrl: fake.url, token: settings.token, timeoutMs: 2_000, maxRetryWaitMs: 200 });
  const store = new MemoryAttachmentStore();
  const backend = new ZammadBackend(settings, {
    dataSource,
    store: options.withoutStore ? undefined : store,
    client,
    feedbackEnabled: () => options.feedbackEnabled ?? false,
  });
  return { backend, client, store };
}

/** Inserts an issue filed by `caller` in the zammad backend, not yet pushed. */
export async function createZammadIssue(dataSource: DataSource, caller: User, fields: DeepPartial<Issue> = {}): Promise<Issue> {
  return dataSource.getRepository(Issue).save({
    backendName: 'zammad',
    type: 'Incident',
    summary: 'VPN is down',
    description: 'Connection times out since 09:00.\nRestarting did not help.',
    callerId: caller.id,
    ...fields,
  });
}

/** Finds the support user of `user` for Zammad, or creates it. */
export async function zammadSupportUser(dataSource: DataSource, user: User): Promise<SupportUser> {
  const repository = dataSource.getRepository(SupportUser);
  const existing = await repository.findOneBy({ userId: user.id, backendName: 'zammad' });
  return existing ?? repository.save({ name: user.fullName, userId: user.id, backendName: 'zammad', isActive: true });
}

/** Inserts a local comment of `author` on `issue`, not yet pushed. */
export async function createLocalComment(
  dataSource: DataSource,
  issue: Issue,
  author: SupportUser,
  fields: DeepPartial<Comment> = {},
): Promise<Comment> {
  return dataSource.getRepository(Comment).save({
    issueId: issue.id,
    authorId: author.id,
    description: 'Please restart the router.',
    isPublic: true,
    backendName: 'zammad',
    ...fields,
  });
}

/** Empties the support tables, so ids that the reset fake hands out again do not collide. */
export async function clearSupportTables(dataSource: DataSource): Promise<void> {
  await dataSource.query('TRUNCATE attachments, comments, feedbacks, issues, support_users RESTART IDENTITY CASCADE');
  await dataSource.query("DELETE FROM priorities WHERE backend_name = 'zammad'");
}
