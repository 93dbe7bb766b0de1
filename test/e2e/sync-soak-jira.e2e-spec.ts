import { DEFAULT_SOAK_OPTIONS, formatSoakReport, JiraSoakReport, runJiraSoak } from '../support/soak/jira-soak';
import { FAULT_KINDS } from '../support/soak/jira-soak-faults';
import { buildApp } from '../support/soak/soak-app-process';

/**
 * A small run of the Jira soak (`npm run soak:jira`) with 20 issues and 100 comments both
 * ways under every fault kind, including one SIGKILL and restart. The built app runs as a
 * child process on embedded PGlite, or with TEST_DATABASE_URL on a fresh PostgreSQL database.
 */
describe('Jira sync soak', () => {
  let report: JiraSoakReport;

  beforeAll(async () => {
    buildApp();
    report = await runJiraSoak({
      ...DEFAULT_SOAK_OPTIONS,
      issues: 20,
      comments: 100,
      seed: 7,
      kills: 1,
      // A write slower than the Jira client's 30 s timeout would make the run 30 s longer.
      clientTimeouts: false,
      databaseUrl: process.env.TEST_DATABASE_URL,
      settleTimeoutMs: 150_000,
    });
    if (report.failures.length > 0) process.stderr.write(`${formatSoakReport(report).join('\n')}\n`);
  }, 420_000);

  it.each(FAULT_KINDS)('injects %s', (kind) => {
    expect(report.faults.get(kind)).toBeGreaterThan(0);
  });

  it('restarts after the kill', () => {
    expect(report.kills).toHaveLength(1);
  });

  it('settles', () => {
    expect(report.settled).toBe(true);
  });

  it('runs every operation', () => {
    expect(report.driverErrors).toEqual([]);
  });

  it('ends with both sides identical', () => {
    expect(report.comparison.mismatches).toEqual([]);
  });

  it('counts the same on both sides', () => {
    expect(report.comparison.ours).toEqual(report.comparison.expected);
    expect(report.comparison.jira).toEqual(report.comparison.expected);
  });

  it('leaves no dead outbox row', () => {
    expect(report.outbox.dead).toBe(0);
  });
});
