import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTestDatabase, TestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');

/** The shell lines of the README's walkthrough, pointed at `api`. */
function walkthroughScript(api: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no walkthrough block');
  return match[1].replace(/^API=.*$/m, `API=${api}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForReady(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server at ${url} was not ready within ${timeoutMs} ms`);
}

describe('README walkthrough', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let server: ChildProcess;
  let env: NodeJS.ProcessEnv;
  let api: string;
  let output = '';

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);

    dataDir = mkdtempSync(join(tmpdir(), 'deskbridge-walkthrough-'));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    // On the PostgreSQL run the server uses a fresh database; otherwise the embedded one, as `npm start` does.
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url;
    }
    server = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env, stdio: 'ignore' });
    await waitForReady(api, server);

    const run = spawnSync('bash', ['-c', walkthroughScript(api)], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
    output = `${run.stdout}\n${run.stderr}`;
  }, 300_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
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
