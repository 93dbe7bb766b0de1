import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';

import { PROJECT_ROOT as ROOT } from '../app-process';

export { buildApp, freePort } from '../app-process';

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
