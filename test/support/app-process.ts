import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root, where `npm run build` writes `dist/`. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

const SERVER_ENTRY = join('dist', 'src', 'main.js');

/** Inputs of `nest build`: a change to any of them makes `dist/` stale. */
const BUILD_INPUTS = ['src', 'migrations', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json'];

/**
 * Runs `npm run build` unless `dist/src/main.js` is newer than every build input, so test
 * files that start the compiled app one after another build it once. A checkout or an
 * edit gives the changed files a new modification time, which triggers the build.
 */
export function buildApp(): void {
  const entry = join(PROJECT_ROOT, SERVER_ENTRY);
  if (existsSync(entry) && newestModification(BUILD_INPUTS.map((input) => join(PROJECT_ROOT, input))) < statSync(entry).mtimeMs) return;
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

function newestModification(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stats = statSync(path);
    newest = Math.max(newest, stats.mtimeMs);
    if (stats.isDirectory()) {
      newest = Math.max(newest, newestModification(readdirSync(path).map((name) => join(path, name))));
    }
  }
  return newest;
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface AppProcessOptions {
  /**
   * Variables set on top of this process's environment, from which `DATABASE_URL` and
   * `DATA_DIR` are removed first: without `DATABASE_URL` the app opens embedded PGlite in
   * `DATA_DIR` (default `./data`). `PORT` and `HOST` default to a free port on 127.0.0.1.
   */
  env?: NodeJS.ProcessEnv;
  /** Time to wait for `/health/ready`, in milliseconds. */
  readyTimeoutMs?: number;
  /**
   * Capture standard output and error (the default). Pass false when this process will block
   * in `spawnSync` while the app runs: the app blocks writing to a full pipe that is not read.
   */
  captureOutput?: boolean;
}

/** A running `node dist/src/main.js`, with its output captured in memory. */
export interface AppProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The environment the process runs with, for commands that must reach the same database. */
  readonly env: NodeJS.ProcessEnv;
  readonly child: ChildProcess;
  /** Standard output and error so far; empty when not captured. */
  output(): string;
  /** The JSON log lines written to standard output so far; other lines are left out. */
  logEntries(): Array<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code and signal once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the process with SIGTERM, as a supervisor would, unless it has exited already. */
  stop(): Promise<void>;
}

/** Starts the compiled app (build it first with `buildApp`) and resolves once `/health/ready` returns 200. */
export async function startAppProcess(options: AppProcessOptions = {}): Promise<AppProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, { HOST: '127.0.0.1', PORT: String(await freePort()) }, options.env);
  const url = `http://${env.HOST}:${env.PORT}`;

  const capture = options.captureOutput ?? true;
  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: PROJECT_ROOT, env, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'ignore' });
  let stdout = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  const app: AppProcess = {
    url,
    env,
    child,
    output: () => output,
    logEntries: () => parseJsonLines(stdout),
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    stop: async () => {
      await app.kill('SIGTERM');
    },
  };
  try {
    await waitForReady(app, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await app.kill('SIGKILL');
    throw error;
  }
  return app;
}

async function waitForReady(app: AppProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) {
      throw new Error(`The server at ${app.url} exited with code ${app.child.exitCode} before it was ready:\n${app.output().slice(-4000)}`);
    }
    try {
      if ((await fetch(`${app.url}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
  }
  throw new Error(`The server at ${app.url} was not ready within ${timeoutMs} ms:\n${app.output().slice(-4000)}`);
}

function parseJsonLines(text: string): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      entries.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut off by SIGKILL, or not JSON.
    }
  }
  return entries;
}
