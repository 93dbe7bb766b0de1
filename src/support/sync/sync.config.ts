import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

import { ConfigValidationError } from '../../config/app.config';

/** Timings and limits of the sync machinery; read once at boot, replaced whole in tests. */
export interface SyncConfig {
  /** Names this process in claims, job runs and logs. */
  replicaId: string;
  /** Start the outbox delivery loop and the inbox sweeper on bootstrap. */
  workersEnabled: boolean;
  /** Arm the scheduled pull and maintenance jobs on bootstrap. */
  jobsEnabled: boolean;
  outbox: {
    pollIntervalMs: number;
    /** Rows claimed per backend in one poll. */
    batchSize: number;
    /** How long a claim lasts; a row still in progress after that is claimed again. */
    leaseMs: number;
    deliveryTimeoutMs: number;
    /** Attempts before a row is parked as dead. */
    maxAttempts: number;
    retryBaseMs: number;
    retryCapMs: number;
    /** Default bounded wait of `deliverSoon`. */
    deliverWaitMs: number;
  };
  circuit: {
    /** Consecutive retryable failures that open a backend's circuit. */
    failureThreshold: number;
    /** Time an open circuit waits before letting one trial delivery through. */
    coolDownMs: number;
  };
  inbox: {
    sweepIntervalMs: number;
    batchSize: number;
    leaseMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryCapMs: number;
    /** Deliveries without an id get one from their body hash and this time window. */
    derivedIdWindowMs: number;
  };
  echo: {
    /** How long a pushed change is remembered for echo suppression. */
    windowMs: number;
  };
  pull: {
    /** How far before the watermark a pull starts again, to catch late index updates. */
    overlapMs: number;
    /** Local objects younger than this are never reported as gone by reconciliation. */
    reconcileGraceMs: number;
    /** Above this share of local objects missing remotely, reconciliation stops and reports an error. */
    reconcileMaxGoneRatio: number;
  };
  jobs: {
    /** A job run not heartbeating for this long is taken as abandoned by a dead replica. */
    leaseMs: number;
    /**
     * Fixed intervals in milliseconds by job name, replacing those jobs' own schedules.
     * Absent or empty: every job keeps its own schedule.
     */
    intervalOverridesMs?: Readonly<Record<string, number>>;
  };
  retention: {
    outboxDays: number;
    inboxDays: number;
    jobRunDays: number;
  };
  /** Time shutdown waits for deliveries in flight. */
  shutdownGraceMs: number;
  /** Source of jitter in [0, 1); tests pass a fixed value. */
  random: () => number;
}

export const SYNC_CONFIG = Symbol('SYNC_CONFIG');

/** Reads the `SYNC_*` environment variables, listing every invalid one at once. */
export function loadSyncConfig(env: NodeJS.ProcessEnv = process.env): SyncConfig {
  const problems: string[] = [];

  const number = (name: string, fallback: number, min: number, integer = true): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
      problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };
  const seconds = (name: string, fallbackSeconds: number, minSeconds = 0): number =>
    Math.round(number(name, fallbackSeconds, minSeconds, false) * 1000);

  const config: SyncConfig = {
    replicaId: env.SYNC_REPLICA_ID?.trim() || `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    workersEnabled: boolean('SYNC_WORKERS_ENABLED', true),
    jobsEnabled: boolean('SYNC_JOBS_ENABLED', true),
    outbox: {
      pollIntervalMs: seconds('SYNC_OUTBOX_POLL_SECONDS', 2, 0.05),
      batchSize: number('SYNC_OUTBOX_BATCH_SIZE', 20, 1),
      leaseMs: seconds('SYNC_OUTBOX_LEASE_SECONDS', 120, 1),
      deliveryTimeoutMs: seconds('SYNC_DELIVERY_TIMEOUT_SECONDS', 60, 1),
      maxAttempts: number('SYNC_OUTBOX_MAX_ATTEMPTS', 10, 1),
      retryBaseMs: seconds('SYNC_RETRY_BASE_SECONDS', 2, 0.01),
      retryCapMs: seconds('SYNC_RETRY_CAP_SECONDS', 900, 0.01),
      deliverWaitMs: seconds('SYNC_DELIVER_WAIT_SECONDS', 5, 0),
    },
    circuit: {
      failureThreshold: number('SYNC_CIRCUIT_FAILURE_THRESHOLD', 5, 1),
      coolDownMs: seconds('SYNC_CIRCUIT_COOL_DOWN_SECONDS', 30, 0.01),
    },
    inbox: {
      sweepIntervalMs: seconds('SYNC_INBOX_SWEEP_SECONDS', 15, 0.05),
      batchSize: number('SYNC_INBOX_BATCH_SIZE', 20, 1),
      leaseMs: seconds('SYNC_INBOX_LEASE_SECONDS', 120, 1),
      maxAttempts: number('SYNC_INBOX_MAX_ATTEMPTS', 10, 1),
      retryBaseMs: seconds('SYNC_INBOX_RETRY_BASE_SECONDS', 5, 0.01),
      retryCapMs: seconds('SYNC_INBOX_RETRY_CAP_SECONDS', 900, 0.01),
      derivedIdWindowMs: seconds('SYNC_INBOX_DERIVED_ID_WINDOW_SECONDS', 60, 1),
    },
    echo: { windowMs: seconds('SYNC_ECHO_WINDOW_SECONDS', 86_400, 1) },
    pull: {
      overlapMs: seconds('SYNC_PULL_OVERLAP_SECONDS', 120, 0),
      reconcileGraceMs: seconds('SYNC_RECONCILE_GRACE_SECONDS', 600, 0),
      reconcileMaxGoneRatio: number('SYNC_RECONCILE_MAX_GONE_RATIO', 0.5, 0, false),
    },
    jobs: {
      leaseMs: seconds('SYNC_JOB_LEASE_SECONDS', 300, 1),
      intervalOverridesMs: parseJobIntervals(env.SYNC_JOB_INTERVALS, problems),
    },
    retention: {
      outboxDays: number('SYNC_OUTBOX_RETENTION_DAYS', 14, 1),
      inboxDays: number('SYNC_INBOX_RETENTION_DAYS', 30, 1),
      jobRunDays: number('SYNC_JOB_RUN_RETENTION_DAYS', 30, 1),
    },
    shutdownGraceMs: seconds('SYNC_SHUTDOWN_GRACE_SECONDS', 10, 0),
    random: Math.random,
  };

  if (config.outbox.retryCapMs < config.outbox.retryBaseMs) {
    problems.push('SYNC_RETRY_CAP_SECONDS must not be below SYNC_RETRY_BASE_SECONDS');
  }
  if (config.outbox.leaseMs <= config.outbox.deliveryTimeoutMs) {
    problems.push('SYNC_OUTBOX_LEASE_SECONDS must be above SYNC_DELIVERY_TIMEOUT_SECONDS, or a slow delivery loses its claim');
  }
  if (config.pull.reconcileMaxGoneRatio > 1) {
    problems.push('SYNC_RECONCILE_MAX_GONE_RATIO must be between 0 and 1');
  }

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

/** Smallest interval `SYNC_JOB_INTERVALS` accepts, in seconds. */
const MIN_JOB_INTERVAL_SECONDS = 1;

/**
 * Parses `SYNC_JOB_INTERVALS`, a comma-separated list of `<job name>=<seconds>` such as
 * `support.pull-support-users=3600,sync.cleanup=86400`. Problems are appended to `problems`.
 * Whether each name is a registered job is checked when the scheduler starts.
 */
function parseJobIntervals(raw: string | undefined, problems: string[]): Record<string, number> {
  const intervals: Record<string, number> = {};
  if (raw === undefined || raw.trim() === '') return intervals;
  for (const entry of raw.split(',')) {
    const text = entry.trim();
    if (text === '') continue;
    const separator = text.indexOf('=');
    const name = separator === -1 ? '' : text.slice(0, separator).trim();
    const value = separator === -1 ? '' : text.slice(separator + 1).trim();
    const seconds = Number(value);
    if (name === '' || value === '') {
      problems.push(`SYNC_JOB_INTERVALS entries must look like <job name>=<seconds>, got "${text}"`);
    } else if (!Number.isFinite(seconds) || seconds < MIN_JOB_INTERVAL_SECONDS) {
      problems.push(`SYNC_JOB_INTERVALS: the interval of ${name} must be a number of seconds >= ${MIN_JOB_INTERVAL_SECONDS}, got "${value}"`);
    } else if (Object.hasOwn(intervals, name)) {
      problems.push(`SYNC_JOB_INTERVALS names ${name} more than once`);
    } else {
      intervals[name] = Math.round(seconds * 1000);
    }
  }
  return intervals;
}
