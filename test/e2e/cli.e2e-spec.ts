import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { buildApp, PROJECT_ROOT as ROOT } from '../support/app-process';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PASSWORD = 'staff-password-1';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Target = { DATABASE_URL: string } | { DATA_DIR: string };

/**
 * Runs the compiled CLI as a child process. It must not block the event loop, because in
 * one case the embedded database it reaches is served by this very test process.
 */
function runCli(args: string[], target?: Target, input?: string): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, target);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function createStaffArgs(username: string, password = PASSWORD): string[] {
  return ['createstaffuser', '--username', username, '--password', password, '--email', `${username}@example.com`, '--first-name', 'Ada'];
}

/** A placeholder for `createTestApp` when the app opens its own embedded database. */
const NO_TEST_DATABASE: TestDatabase = { url: '', embedded: true, drop: async () => undefined };

async function login(testApp: TestApp, username: string, password: string): Promise<string> {
  const response = await testApp.http().post('/api-auth/password/').send({ username, password }).expect(200);
  return `Token ${response.body.token}`;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
  }
  return condition();
}

beforeAll(() => buildApp(), 120_000);

describe('cli arguments', () => {
  it('lists the commands with --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('createstaffuser');
    expect(result.stdout).toContain('migration:generate');
  });

  it('shows help per command', async () => {
    const result = await runCli(['createstaffuser', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--password-stdin');
  });

  it('rejects an unknown command', async () => {
    const result = await runCli(['makeitso']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown command "makeitso"');
  });

  it('names an unknown option', async () => {
    const result = await runCli(['createstaffuser', '--colour', 'blue']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--colour');
  });

  it('names a missing option', async () => {
    const result = await runCli(['createstaffuser', '--username', 'ada', '--password', PASSWORD]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--email');
  });

  it('names an invalid username', async () => {
    const result = await runCli(['createstaffuser', '--username', 'Ada Lovelace', '--password', PASSWORD, '--email', 'ada@example.com']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--username');
  });

  it('requires exactly one username for drf_create_token', async () => {
    const result = await runCli(['drf_create_token']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('USERNAME');
  });

  it('rejects a migration name that is not PascalCase', async () => {
    const result = await runCli(['migration:generate', 'add-things']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NAME');
  });
});

describe('cli against a PostgreSQL URL', () => {
  let database: TestDatabase;
  let testApp: TestApp;
  let target: Target;

  beforeAll(async () => {
    database = await createTestDatabase();
    target = { DATABASE_URL: database.url };
    // The CLI runs first, on an empty database, so it applies the migrations itself.
    const created = await runCli(createStaffArgs('root'), target);
    expect(created).toMatchObject({ code: 0 });
    testApp = await createTestApp({ database });
  });

  afterAll(async () => {
    await testApp?.close();
    await database?.drop();
  });

  it('runs the whole support setup with a CLI-made staff user', async () => {
    const staffAuth = await login(testApp, 'root', PASSWORD);

    const customer = await testApp.http().post('/api/customers/').set('Authorization', staffAuth).send({ name: 'Flow Customer' }).expect(201);
    const project = await testApp
      .http()
      .post('/api/projects/')
      .set('Authorization', staffAuth)
      .send({ name: 'Flow Project', customer: customer.body.url })
      .expect(201);

    const second = await testApp.http().post('/api/users/').set('Authorization', staffAuth).send({ username: 'second', email: 'second@example.com' }).expect(201);
    await testApp.http().post(`/api/users/${second.body.uuid}/change_password/`).set('Authorization', staffAuth).send({ new_password: 'second-password' }).expect(200);
    const secondAuth = await login(testApp, 'second', 'second-password');

    await testApp
      .http()
      .post(`/api/projects/${project.body.uuid}/add_user/`)
      .set('Authorization', staffAuth)
      .send({ user: second.body.uuid, role: 'PROJECT.ADMIN' })
      .expect(201);
    const members = await testApp.http().get(`/api/projects/${project.body.uuid}/list_users/`).set('Authorization', staffAuth).expect(200);
    expect(members.body).toEqual([expect.objectContaining({ user_uuid: second.body.uuid, role_name: 'PROJECT.ADMIN' })]);
    expect(members.headers['x-result-count']).toBe('1');

    const visible = await testApp.http().get('/api/projects/').set('Authorization', secondAuth).expect(200);
    expect(visible.body.map((row: { uuid: string }) => row.uuid)).toEqual([project.body.uuid]);

    const forbidden = await testApp.http().post('/api/customers/').set('Authorization', secondAuth).send({ name: 'Not mine' }).expect(403);
    expect(forbidden.body).toEqual({ detail: expect.any(String) });

    const unknown = await testApp.http().get('/api/projects/').set('Authorization', 'Token ffffffffffffffffffffffffffffffffffffffff').expect(401);
    expect(unknown.body).toEqual({ detail: expect.any(String) });
  });

  it('stops showing a project when the grant expires', async () => {
    const staffAuth = await login(testApp, 'root', PASSWORD);
    const customer = await testApp.http().post('/api/customers/').set('Authorization', staffAuth).send({ name: 'Expiring Customer' }).expect(201);
    const project = await testApp.http().post('/api/projects/').set('Authorization', staffAuth).send({ name: 'Expiring', customer: customer.body.url }).expect(201);
    const member = await testApp.http().post('/api/users/').set('Authorization', staffAuth).send({ username: 'shortlived', email: 'short@example.com' }).expect(201);
    const memberToken = await testApp.http().get(`/api/users/${member.body.uuid}/token/`).set('Authorization', staffAuth).expect(200);
    const memberAuth = `Token ${memberToken.body.token}`;

    await testApp
      .http()
      .post(`/api/projects/${project.body.uuid}/add_user/`)
      .set('Authorization', staffAuth)
      .send({ user: member.body.uuid, role: 'PROJECT.MEMBER', expiration_time: new Date(Date.now() + 2000).toISOString() })
      .expect(201);
    await testApp.http().get(`/api/projects/${project.body.uuid}/`).set('Authorization', memberAuth).expect(200);

    const hidden = await waitUntil(async () => {
      const response = await testApp.http().get(`/api/projects/${project.body.uuid}/`).set('Authorization', memberAuth);
      return response.status === 404;
    }, 6000);
    expect(hidden).toBe(true);
    const members = await testApp.http().get(`/api/projects/${project.body.uuid}/list_users/`).set('Authorization', staffAuth).expect(200);
    expect(members.body[0].expiration_time).not.toBeNull();
  });

  it('prints only a working token from drf_create_token', async () => {
    const result = await runCli(['drf_create_token', 'root'], target);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[0-9a-f]{40}\n$/);
    const me = await testApp.http().get('/api/users/me/').set('Authorization', `Token ${result.stdout.trim()}`).expect(200);
    expect(me.body).toMatchObject({ username: 'root', is_staff: true, first_name: 'Ada' });
  });

  it('refuses a username that exists', async () => {
    const result = await runCli(createStaffArgs('root'), target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--username');
    expect(result.stderr).toContain('already exists');
  });

  it('refuses a weak password', async () => {
    const result = await runCli(createStaffArgs('weakling', '12345678'), target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--password');
  });

  it('reads the password from stdin', async () => {
    const result = await runCli(['createstaffuser', '--username', 'piped', '--password-stdin', '--email', 'piped@example.com'], target, 'piped-password\n');
    expect(result.code).toBe(0);
    await login(testApp, 'piped', 'piped-password');
  });

  it('reports an unknown user in drf_create_token', async () => {
    const result = await runCli(['drf_create_token', 'ghost'], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no user named "ghost" in the PostgreSQL database of DATABASE_URL');
    expect(result.stdout).toBe('');
  });

  it('stores only a hash of the password', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT password_hash FROM users WHERE username = $1', ['root']);
      expect(rows[0].password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/);
      expect(rows[0].password_hash).not.toContain(PASSWORD);
    } finally {
      await client.end();
    }
  });

  it('shows every migration as applied', async () => {
    const result = await runCli(['migration:show'], target);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[X] CreateIdentityTables1796418600000');
    expect(result.stdout).not.toContain('[ ]');
  });
});

describe('cli against an embedded DATA_DIR', () => {
  let dataDir: string;
  let target: Target;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'deskbridge-cli-'));
    target = { DATA_DIR: dataDir };
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a staff user and mints a token, releasing the folder', async () => {
    const created = await runCli(createStaffArgs('embedded'), target);
    expect(created.code).toBe(0);
    expect(existsSync(join(dataDir, 'embedded.lock'))).toBe(false);

    const token = await runCli(['drf_create_token', 'embedded'], target);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^[0-9a-f]{40}\n$/);
    expect(existsSync(join(dataDir, 'embedded.lock'))).toBe(false);
  });

  it('migrates a fresh folder before feedback-link looks up the issue', async () => {
    const freshDir = mkdtempSync(join(tmpdir(), 'deskbridge-cli-fresh-'));
    try {
      const result = await runCli(['feedback-link', '00000000-0000-0000-0000-000000000000'], { DATA_DIR: freshDir });

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Issue 00000000000000000000000000000000 was not found.');
      expect(result.stdout).toBe('');
    } finally {
      rmSync(freshDir, { recursive: true, force: true });
    }
  });

  it('names the folder it searched for an unknown user', async () => {
    const result = await runCli(['drf_create_token', 'ghost'], target);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no user named "ghost" in the embedded database in ${dataDir}`);
    expect(result.stderr).toContain("DATA_DIR or DATABASE_URL");
  });

  it('reverts, shows and reruns migrations', async () => {
    const reverted = await runCli(['migration:revert'], target);
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toContain('Reverted: ');
    const revertedName = reverted.stdout.replace('Reverted: ', '').trim();

    const shown = await runCli(['migration:show'], target);
    expect(shown.stdout).toContain(`[ ] ${revertedName}`);

    const rerun = await runCli(['migration:run'], target);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(revertedName);
  });

  it('generates a migration for a schema difference', async () => {
    // Drop an index the Project entity declares, so the schema differs from the entities.
    const embedded = await EmbeddedDatabase.open(dataDir);
    const client = new Client({ connectionString: embedded.url });
    await client.connect();
    await client.query('DROP INDEX projects_customer_id_idx');
    await client.end();
    await embedded.close();

    const outDir = mkdtempSync(join(tmpdir(), 'deskbridge-migrations-'));
    try {
      const result = await runCli(['migration:generate', 'AddThings', '--out-dir', outDir], target);
      expect(result.code).toBe(0);
      const [file] = readdirSync(outDir);
      expect(file).toMatch(/^\d{13}-AddThings\.ts$/);
      expect(result.stdout.trim()).toBe(join(outDir, file));
      const source = readFileSync(join(outDir, file), 'utf8');
      expect(source).toMatch(/export class AddThings\d{13} implements MigrationInterface/);
      expect(source).toContain('CREATE INDEX "projects_customer_id_idx"');
      expect(source).toContain('DROP INDEX "public"."projects_customer_id_idx"');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('cli while a server holds the DATA_DIR', () => {
  let dataDir: string;
  let testApp: TestApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'deskbridge-cli-server-'));
    testApp = await createTestApp({ database: NO_TEST_DATABASE, config: { databaseUrl: undefined, dataDir } });
  });

  afterAll(async () => {
    await testApp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds the folder lock while it runs', () => {
    expect(existsSync(join(dataDir, 'embedded.lock'))).toBe(true);
  });

  it('creates a staff user through the server socket', async () => {
    const created = await runCli(createStaffArgs('live'), { DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    expect(existsSync(join(dataDir, 'embedded.lock'))).toBe(true);

    const staffAuth = await login(testApp, 'live', PASSWORD);
    await testApp.http().post('/api/customers/').set('Authorization', staffAuth).send({ name: 'Live Customer' }).expect(201);
  });

  it('mints a token the server accepts', async () => {
    const token = await runCli(['drf_create_token', 'live'], { DATA_DIR: dataDir });
    expect(token.code).toBe(0);
    const me = await testApp.http().get('/api/users/me/').set('Authorization', `Token ${token.stdout.trim()}`).expect(200);
    expect(me.body.username).toBe('live');
  });
});
