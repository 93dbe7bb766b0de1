import { EventEmitter2 } from '@nestjs/event-emitter';

import { SETTINGS_CHANGED_EVENT, SettingsChangedEvent } from '../../src/settings/settings.events';
import { SettingsService } from '../../src/settings/settings.service';
import { SigningKeyService } from '../../src/settings/signing-key.service';
import { createStaff, UserWithToken } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Replicas must see a change within this many milliseconds. */
const PROPAGATION_LIMIT_MS = 5_000;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('settings across replicas', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let staff: UserWithToken;

  beforeAll(async () => {
    database = await createTestDatabase();
    // No SECRET_KEY, so both replicas must agree on a generated signing key.
    first = await createTestApp({ database, config: { secretKey: undefined } });
    second = await createTestApp({ database, config: { secretKey: undefined } });
    staff = await createStaff(first.dataSource);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('delivers a change to the other replica within 5 seconds', async () => {
    const events: SettingsChangedEvent[] = [];
    second.app.get(EventEmitter2).on(SETTINGS_CHANGED_EVENT, (event: SettingsChangedEvent) => events.push(event));
    const replica = second.app.get(SettingsService);
    expect(replica.get('WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE')).toBe('basic');

    await first
      .http()
      .post('/api/override-settings/')
      .set('Authorization', staff.auth)
      .field('WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE', 'smax')
      .field('SMAX_TIMES_TO_PULL', '20')
      .expect(200);
    const elapsed = await waitFor(() => replica.get('WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE') === 'smax', PROPAGATION_LIMIT_MS);

    expect(elapsed).toBeLessThan(PROPAGATION_LIMIT_MS);
    expect(replica.get('SMAX_TIMES_TO_PULL')).toBe(20);
    expect(events).toHaveLength(1);
    expect(events[0].keys).toEqual(['WALDUR_SUPPORT_ACTIVE_BACKEND_TYPE', 'SMAX_TIMES_TO_PULL']);
  });

  it('serves the change from the other replica configuration', async () => {
    await first.http().post('/api/override-settings/').set('Authorization', staff.auth).send({ WALDUR_SUPPORT_ENABLED: false }).expect(200);
    const replica = second.app.get(SettingsService);
    await waitFor(() => replica.get('WALDUR_SUPPORT_ENABLED') === false, PROPAGATION_LIMIT_MS);

    const response = await second.http().get('/api/configuration/').expect(200);

    expect(response.body.WALDUR_SUPPORT.ENABLED).toBe(false);
  });

  it('delivers a restored default', async () => {
    await first.http().post('/api/override-settings/').set('Authorization', staff.auth).send({ SMAX_TIMES_TO_PULL: '' }).expect(400);
    await first.http().post('/api/override-settings/').set('Authorization', staff.auth).send({ SMAX_TIMES_TO_PULL: 10 }).expect(200);
    const replica = second.app.get(SettingsService);

    await waitFor(() => replica.get('SMAX_TIMES_TO_PULL') === 10, PROPAGATION_LIMIT_MS);

    expect(replica.get('SMAX_TIMES_TO_PULL')).toBe(10);
  });

  it('agrees on one generated signing key', async () => {
    const firstKey = await first.app.get(SigningKeyService).getKey();
    const secondKey = await second.app.get(SigningKeyService).getKey();

    expect(secondKey).toBe(firstKey);
    expect(Buffer.from(firstKey, 'base64url')).toHaveLength(48);
  });

  it('keeps the generated signing key out of the API', async () => {
    const key = await first.app.get(SigningKeyService).getKey();

    const response = await first.http().get('/api/override-settings/').set('Authorization', staff.auth).expect(200);

    expect(response.text).not.toContain(key);
  });
});
