import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const PROJECT_ROOT = join(__dirname, '../../..');

/** Starts main.ts through tsx and resolves with the base URL it prints. */
function startMain(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/fakes/zammad/main.ts', ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`main.ts printed no URL within 20 s: ${output}`)), 20_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code}: ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('fake Zammad main', () => {
  it('serves on the given port and prints the URL', async () => {
    const { child, url, output } = await startMain(['--port', '0', '--host', '127.0.0.1']);
    try {
      const response = await fetch(`${url}/api/v1/users/me`, { headers: { Authorization: 'Token token=fake-zammad-token' } });

      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(response.status).toBe(200);
      expect(output()).toContain('fake-agent-token');
    } finally {
      await stop(child);
    }
  });

  it('rejects a host off this machine', async () => {
    await expect(startMain(['--port', '0', '--host', '0.0.0.0'])).rejects.toThrow(
      'Invalid host 0.0.0.0: the fake Zammad only binds to 127.0.0.1, ::1 or localhost',
    );
  });
});
