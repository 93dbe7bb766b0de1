import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** Builds `dist/` with `npm run -s build`; throws with the compiler output when it fails. */
export function buildApp(): void {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs the Deskbridge CLI (`dist/src/cli/main.js`) with `env`; returns its standard output. */
export function runCli(env: NodeJS.ProcessEnv, args: string[]): string {
  const run = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`cli ${args[0]} failed with code ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/**
 * The built app (`node dist/src/main.js`) as a child process on 127.0.0.1. Its output is
 * appended to `logPath`, so a restart continues the same log.
 */
export class SoakAppProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  starts = 0;

  constructor(
    readonly url: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly logPath: string,
  ) {
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.child = child;
    this.starts += 1;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`The app exited with ${child.exitCode ?? child.signalCode} while starting; see ${this.logPath}`);
      }
      try {
        if ((await fetch(`${this.url}/health/ready`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`The app at ${this.url} was not ready within ${timeoutMs} ms; see ${this.logPath}`);
  }

  /** Sends `signal` and waits for the process to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async close(): Promise<void> {
    await this.stop('SIGTERM');
    await new Promise((resolve) => this.log.end(resolve));
  }
}
