import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AppProcess, buildApp, PROJECT_ROOT as ROOT, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** The shell lines of the README's walkthrough, pointed at `api`. */
function walkthroughScript(api: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no walkthrough block');
  return match[1].replace(/^API=.*$/m, `API=${api}`);
}

describe('README walkthrough', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let server: AppProcess | undefined;
  let output = '';

  beforeAll(async () => {
    buildApp();

    dataDir = mkdtempSync(join(tmpdir(), 'deskbridge-walkthrough-'));
    const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    // On the PostgreSQL run the server uses a fresh database; otherwise the embedded one, as `npm start` does.
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url;
    }
    server = await startAppProcess({ env, captureOutput: false });

    const run = spawnSync('bash', ['-c', walkthroughScript(server.url)], { cwd: ROOT, env: server.env, encoding: 'utf8', timeout: 180_000 });
    output = `${run.stdout}\n${run.stderr}`;
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the staff user', () => {
    expect(output).toContain('Created staff user admin');
  });

  it('shows the admin only the public comment', () => {
    expect(output).toContain("[ 'We are looking into it.' ]");
  });

  it('downloads the attachment byte for byte', () => {
    expect(output).toContain('downloaded file is identical');
  });

  it('resolves the issue', () => {
    expect(output).toContain("[ 'SUP-1', 'Resolved', true ]");
  });

  it('counts the anonymous rating', () => {
    expect(output).toContain('"evaluation":9}');
    expect(output).toContain('{"9":1}');
  });
});
