/**
 * Soak test of the two-way Jira sync under every fault kind:
 *
 *   npm run soak:jira -- [--issues 200] [--comments 1000] [--seed 1] [--kills 2]
 *                        [--database-url postgresql://postgres@127.0.0.1:5432/postgres | --embedded]
 *                        [--concurrency 4] [--settle-timeout 600] [--no-client-timeouts] [--keep] [--no-build]
 *
 * Builds the app, starts the fake Jira on 127.0.0.1 and the built app as a child process
 * on a fresh database: a new database on the PostgreSQL server of --database-url (dropped
 * afterwards), or embedded PGlite in a temporary folder. Then it drives both directions
 * while injecting faults, lets the sync settle and compares both sides. It prints the
 * figures and exits with 1 on any mismatch. --no-client-timeouts leaves out the write that
 * outlasts the Jira client's 30 s timeout, which makes the run about 30 s shorter. The work folder (app log and data) is kept
 * after a failed run or with --keep.
 */
import { parseArgs } from 'node:util';

import { DEFAULT_SOAK_OPTIONS, formatSoakReport, runJiraSoak } from '../../test/support/soak/jira-soak';
import { buildApp } from '../../test/support/soak/soak-app-process';

const USAGE = `Usage: npm run soak:jira -- [--issues N] [--comments N] [--seed N] [--kills N]
       [--database-url URL | --embedded] [--concurrency N] [--settle-timeout SECONDS] [--no-client-timeouts] [--keep] [--no-build]`;

/** A bad command line: printed without a stack trace. */
class UsageError extends Error {}

function positiveInteger(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`Invalid --${name} "${raw}": expected an integer >= ${min}.\n${USAGE}`);
  return value;
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        issues: { type: 'string' },
        comments: { type: 'string' },
        seed: { type: 'string' },
        kills: { type: 'string' },
        'database-url': { type: 'string' },
        embedded: { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'settle-timeout': { type: 'string' },
        keep: { type: 'boolean', default: false },
        'client-timeouts': { type: 'boolean', default: true },
        build: { type: 'boolean', default: true },
        help: { type: 'boolean', default: false },
      },
      allowNegative: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<number> {
  const { values } = parseCommandLine();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.embedded && values['database-url']) throw new UsageError(`Give either --database-url or --embedded, not both.\n${USAGE}`);
  const databaseUrl = values['database-url'];
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError(`Invalid --database-url "${databaseUrl}": expected postgresql://...\n${USAGE}`);

  const defaults = DEFAULT_SOAK_OPTIONS;
  const options = {
    ...defaults,
    issues: positiveInteger('issues', values.issues, defaults.issues),
    comments: positiveInteger('comments', values.comments, defaults.comments, 0),
    seed: positiveInteger('seed', values.seed, defaults.seed, 0),
    kills: positiveInteger('kills', values.kills, defaults.kills),
    concurrency: positiveInteger('concurrency', values.concurrency, defaults.concurrency),
    settleTimeoutMs: positiveInteger('settle-timeout', values['settle-timeout'], defaults.settleTimeoutMs / 1000) * 1000,
    databaseUrl,
    keepWorkDir: values.keep,
    clientTimeouts: values['client-timeouts'],
    progress: (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`),
  };

  if (values.build) {
    options.progress('Building the app');
    buildApp();
  }
  const report = await runJiraSoak(options);
  process.stdout.write(`${formatSoakReport(report).join('\n')}\n`);
  if (report.failures.length > 0) process.stdout.write(`Work folder kept: ${report.workDir}\n`);
  return report.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
