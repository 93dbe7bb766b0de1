import { DataSource } from 'typeorm';

import { LOGIN_THROTTLE_OPTIONS, LoginThrottleOptions } from '../../src/identity/auth/login-throttle.config';
import { createStaff, createUser, createUserWithPassword } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const PASSWORD = 'correct horse battery';

function throttledApp(options: LoginThrottleOptions, database?: TestDatabase): Promise<TestApp> {
  return createTestApp({
    database,
    config: { trustProxy: true },
    configure: (builder) => builder.overrideProvider(LOGIN_THROTTLE_OPTIONS).useValue(options),
  });
}

async function countFailures(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query('SELECT count(*) AS count FROM login_failures');
  return Number(row.count);
}

describe('identity auth', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('POST /api-auth/password/', () => {
    it('returns a working token for JSON credentials', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const response = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
      expect(response.body).toEqual({ token: expect.stringMatching(/^[0-9a-f]{40}$/) });

      const me = await testApp.http().get('/api/users/me/').set('Authorization', `Token ${response.body.token}`).expect(200);
      expect(me.body.username).toBe(user.username);
    });

    it('accepts form-encoded credentials', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const response = await testApp
        .http()
        .post('/api-auth/password/')
        .type('form')
        .send({ username: user.username, password: PASSWORD })
        .expect(200);
      expect(response.body.token).toMatch(/^[0-9a-f]{40}$/);
    });

    it('mints a new token on every call', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const first = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
      const second = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
      expect(second.body.token).not.toBe(first.body.token);
      await testApp.http().get('/api/users/me/').set('Authorization', `Token ${first.body.token}`).expect(200);
      await testApp.http().get('/api/users/me/').set('Authorization', `Token ${second.body.token}`).expect(200);
    });

    it('stores only the hash of a minted token', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const response = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
      const rows: { key_hash: string }[] = await testApp.dataSource.query('SELECT key_hash FROM auth_tokens WHERE user_id = $1', [user.id]);
      expect(rows.map((row) => row.key_hash)).not.toContain(response.body.token);
    });

    it('rejects a wrong password with 401', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const response = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: 'wrong password' }).expect(401);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });

    it('rejects an unknown username with 401', async () => {
      const response = await testApp.http().post('/api-auth/password/').send({ username: 'nobody-here', password: PASSWORD }).expect(401);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });

    it('rejects a user without a password with 401', async () => {
      const { user } = await createUser(testApp.dataSource);
      await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(401);
    });

    it('rejects an inactive user with 401', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD, { isActive: false });
      const response = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(401);
      expect(response.body).toEqual({ detail: 'User account is disabled.' });
    });

    it('ignores a stale token in the header', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      await testApp
        .http()
        .post('/api-auth/password/')
        .set('Authorization', 'Token 0000000000000000000000000000000000000000')
        .send({ username: user.username, password: PASSWORD })
        .expect(200);
    });

    it('requires both fields', async () => {
      const response = await testApp.http().post('/api-auth/password/').send({}).expect(400);
      expect(response.body).toEqual({ username: ['This field is required.'], password: ['This field is required.'] });
    });

    it('rejects a non-string username with 400', async () => {
      const response = await testApp.http().post('/api-auth/password/').send({ username: 123, password: PASSWORD }).expect(400);
      expect(response.body.username).toContain('Not a valid string.');
    });

    it('rejects malformed JSON with 400', async () => {
      const response = await testApp
        .http()
        .post('/api-auth/password/')
        .set('Content-Type', 'application/json')
        .send('{"username": "alice", ')
        .expect(400);
      expect(response.body).toEqual({ detail: expect.any(String) });
    });
  });

  describe('token authentication', () => {
    it('rejects an unknown token with 401', async () => {
      const response = await testApp.http().get('/api/users/me/').set('Authorization', 'Token 0123456789abcdef0123456789abcdef01234567').expect(401);
      expect(response.body).toEqual({ detail: 'Invalid token.' });
    });

    it('rejects a missing token with 401', async () => {
      const response = await testApp.http().get('/api/users/me/').expect(401);
      expect(response.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it('rejects the token of a deactivated user', async () => {
      const { user, auth } = await createUser(testApp.dataSource);
      await testApp.dataSource.query('UPDATE users SET is_active = false WHERE id = $1', [user.id]);
      await testApp.http().get('/api/users/me/').set('Authorization', auth).expect(401);
    });
  });

  describe('token expiry', () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('ends after the user token_lifetime', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD, { tokenLifetime: 60 });
      const login = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
      const auth = `Token ${login.body.token}`;

      const me = await testApp.http().get('/api/users/me/').set('Authorization', auth).expect(200);
      const expiresAt = Date.parse(me.body.token_expires_at);
      expect(expiresAt - Date.now()).toBeGreaterThan(50_000);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(60_000);

      const realNow = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(realNow + 61_000);
      const response = await testApp.http().get('/api/users/me/').set('Authorization', auth).expect(401);
      expect(response.body).toEqual({ detail: 'Invalid token.' });
    });

    it('never ends without a lifetime', async () => {
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const login = await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
      const me = await testApp.http().get('/api/users/me/').set('Authorization', `Token ${login.body.token}`).expect(200);
      expect(me.body.token_expires_at).toBeNull();
    });

    it('uses TOKEN_LIFETIME when the user has none', async () => {
      const lifetimeApp = await createTestApp({ config: { tokenLifetimeSeconds: 300 } });
      try {
        const { user } = await createUserWithPassword(lifetimeApp.dataSource, PASSWORD);
        const login = await lifetimeApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
        const auth = `Token ${login.body.token}`;
        const me = await lifetimeApp.http().get('/api/users/me/').set('Authorization', auth).expect(200);
        const remaining = Date.parse(me.body.token_expires_at) - Date.now();
        expect(remaining).toBeGreaterThan(290_000);
        expect(remaining).toBeLessThanOrEqual(300_000);

        const realNow = Date.now();
        jest.spyOn(Date, 'now').mockReturnValue(realNow + 301_000);
        await lifetimeApp.http().get('/api/users/me/').set('Authorization', auth).expect(401);
      } finally {
        jest.restoreAllMocks();
        await lifetimeApp.close();
      }
    });

    it('prefers the user lifetime over TOKEN_LIFETIME', async () => {
      const lifetimeApp = await createTestApp({ config: { tokenLifetimeSeconds: 300 } });
      try {
        const { user } = await createUserWithPassword(lifetimeApp.dataSource, PASSWORD, { tokenLifetime: 120 });
        const login = await lifetimeApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(200);
        const me = await lifetimeApp.http().get('/api/users/me/').set('Authorization', `Token ${login.body.token}`).expect(200);
        expect(Date.parse(me.body.token_expires_at) - Date.now()).toBeLessThanOrEqual(120_000);
      } finally {
        await lifetimeApp.close();
      }
    });
  });

  describe('password change', () => {
    it('lets staff set a password that then logs in', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      const response = await testApp
        .http()
        .post(`/api/users/${user.uuid}/change_password/`)
        .set('Authorization', staff.auth)
        .send({ new_password: 'a brand new secret' })
        .expect(200);
      expect(response.body).toEqual({ detail: expect.any(String) });

      await testApp.http().post('/api-auth/password/').send({ username: user.username, password: 'a brand new secret' }).expect(200);
      await testApp.http().post('/api-auth/password/').send({ username: user.username, password: PASSWORD }).expect(401);
    });

    it('revokes the other tokens of the user', async () => {
      const staff = await createStaff(testApp.dataSource);
      const target = await createUserWithPassword(testApp.dataSource, PASSWORD);
      await testApp
        .http()
        .post(`/api/users/${target.user.uuid}/change_password/`)
        .set('Authorization', staff.auth)
        .send({ new_password: 'a brand new secret' })
        .expect(200);
      await testApp.http().get('/api/users/me/').set('Authorization', target.auth).expect(401);
    });

    it('keeps the token of the staff user changing their own password', async () => {
      const staff = await createStaff(testApp.dataSource);
      await testApp
        .http()
        .post(`/api/users/${staff.user.uuid}/change_password/`)
        .set('Authorization', staff.auth)
        .send({ new_password: 'my own new secret' })
        .expect(200);
      await testApp.http().get('/api/users/me/').set('Authorization', staff.auth).expect(200);
    });

    it('rejects a short password with 400', async () => {
      const staff = await createStaff(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      const response = await testApp
        .http()
        .post(`/api/users/${user.uuid}/change_password/`)
        .set('Authorization', staff.auth)
        .send({ new_password: 'short' })
        .expect(400);
      expect(response.body).toEqual({ new_password: [expect.stringContaining('too short')] });
    });

    it('requires new_password', async () => {
      const staff = await createStaff(testApp.dataSource);
      const response = await testApp.http().post(`/api/users/${staff.user.uuid}/change_password/`).set('Authorization', staff.auth).send({}).expect(400);
      expect(response.body).toEqual({ new_password: ['This field is required.'] });
    });

    it('forbids non-staff to change their own password', async () => {
      const { user, auth } = await createUserWithPassword(testApp.dataSource, PASSWORD);
      await testApp.http().post(`/api/users/${user.uuid}/change_password/`).set('Authorization', auth).send({ new_password: 'something longer' }).expect(403);
    });

    it('hides other users from non-staff', async () => {
      const { auth } = await createUser(testApp.dataSource);
      const { user } = await createUser(testApp.dataSource);
      await testApp.http().post(`/api/users/${user.uuid}/change_password/`).set('Authorization', auth).send({ new_password: 'something longer' }).expect(404);
    });
  });
});

describe('identity login throttling', () => {
  const options: LoginThrottleOptions = { maxFailuresPerUsername: 3, maxFailuresPerClientIp: 5, windowSeconds: 900 };
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await throttledApp(options);
  });

  afterAll(async () => {
    await testApp.close();
  });

  function login(username: string, password: string, clientIp: string) {
    return testApp.http().post('/api-auth/password/').set('X-Forwarded-For', clientIp).send({ username, password });
  }

  it('throttles a username after repeated failures', async () => {
    const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await login(user.username, 'wrong password', `10.1.0.${attempt}`).expect(401);
    }
    const response = await login(user.username, PASSWORD, '10.1.0.9').expect(429);
    expect(response.body).toEqual({ detail: expect.stringContaining('throttled') });
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it('throttles a client IP across usernames', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      await login(`ghost-${attempt}`, 'wrong password', '10.2.0.1').expect(401);
    }
    const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
    const response = await login(user.username, PASSWORD, '10.2.0.1').expect(429);
    expect(response.headers['retry-after']).toBeDefined();
    await login(user.username, PASSWORD, '10.2.0.2').expect(200);
  });

  it('clears the username count after a success', async () => {
    const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
    await login(user.username, 'wrong password', '10.3.0.1').expect(401);
    await login(user.username, 'wrong password', '10.3.0.2').expect(401);
    await login(user.username, PASSWORD, '10.3.0.3').expect(200);
    await login(user.username, 'wrong password', '10.3.0.4').expect(401);
    await login(user.username, 'wrong password', '10.3.0.5').expect(401);
    await login(user.username, PASSWORD, '10.3.0.6').expect(200);
  });

  it('forgets failures older than the window', async () => {
    const { user } = await createUserWithPassword(testApp.dataSource, PASSWORD);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await login(user.username, 'wrong password', `10.4.0.${attempt}`).expect(401);
    }
    await testApp.dataSource.query(`UPDATE login_failures SET created = now() - interval '901 seconds' WHERE username = $1`, [user.username]);
    await login(user.username, PASSWORD, '10.4.0.9').expect(200);
  });

  it('records failures in the database', async () => {
    const before = await countFailures(testApp.dataSource);
    await login('someone-unknown', 'wrong password', '10.5.0.1').expect(401);
    expect(await countFailures(testApp.dataSource)).toBe(before + 1);
  });

  it('shares counts between instances on one database', async () => {
    const database = await createTestDatabase();
    const first = await throttledApp(options, database);
    const second = await throttledApp(options, database);
    try {
      const { user } = await createUserWithPassword(first.dataSource, PASSWORD);
      for (let attempt = 1; attempt <= 3; attempt++) {
        await first.http().post('/api-auth/password/').set('X-Forwarded-For', `10.6.0.${attempt}`).send({ username: user.username, password: 'nope' }).expect(401);
      }
      await second.http().post('/api-auth/password/').set('X-Forwarded-For', '10.6.0.9').send({ username: user.username, password: PASSWORD }).expect(429);
    } finally {
      await first.close();
      await second.close();
      await database.drop();
    }
  });
});
