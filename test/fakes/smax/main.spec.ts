import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** Starts main.ts through tsx, as `npm run fake:smax` does, and resolves with the first stdout line. */
function startMain(args: string[]): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(__dirname, 'main.ts'), ...args], { cwd: ROOT });
  const firstLine = new Promise<string>((resolveLine, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('\n')) {
        resolveLine(output.split('\n')[0]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('exit', (code) => reject(new Error(`main.ts exited with ${code}: ${errors}`)));
  });
  return { child, firstLine };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('fake SMAX main', () => {
  it('prints the base URL and serves', async () => {
    const { child, firstLine } = startMain(['--port', '0', '--host', '127.0.0.1']);
    try {
      const line = await firstLine;

      const match = /^Fake SMAX listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      expect(match).not.toBeNull();
      const response = await fetch(`${match?.[1]}/__fake/config`);
      expect(response.status).toBe(200);
    } finally {
      await stop(child);
    }
  });

  it('refuses a non-loopback host', async () => {
    const { child, firstLine } = startMain(['--port', '0', '--host', '0.0.0.0']);
    try {
      await expect(firstLine).rejects.toThrow('binds to loopback addresses only');
    } finally {
      await stop(child);
    }
  });

  it('rejects an invalid port', async () => {
    const { child, firstLine } = startMain(['--port', 'eighty']);
    try {
      await expect(firstLine).rejects.toThrow('Invalid --port eighty');
    } finally {
      await stop(child);
    }
  });
});
