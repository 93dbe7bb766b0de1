import { resolve } from 'node:path';

/** Process-level configuration read from the environment once at boot. */
export interface AppConfig {
  nodeEnv: string;
  host: string;
  port: number;
  /** PostgreSQL connection string; unset means the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Apply pending migrations at start, under an advisory lock. */
  migrationsRun: boolean;
  /** Value for Express's `trust proxy`; false ignores X-Forwarded-* headers. */
  trustProxy: boolean | number | string;
  corsOrigins: string[];
  logLevel: string;
  /** Secret for signed tokens (feedback links); generated and stored in the database when unset. */
  secretKey?: string;
  /** Lifetime of API tokens in seconds; unset means tokens do not expire. */
  tokenLifetimeSeconds?: number;
  /** Seconds granted to in-flight requests on SIGTERM before the process exits. */
  shutdownGraceSeconds: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the environment, listing every problem at once. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`${name} must be an integer >= ${min}, got "${raw}"`);
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

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const logLevel = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const secretKey = env.SECRET_KEY?.trim() || undefined;
  if (secretKey && secretKey.length < 32) {
    problems.push('SECRET_KEY must be at least 32 characters long');
  }

  const config: AppConfig = {
    nodeEnv: env.NODE_ENV ?? 'development',
    host: env.HOST?.trim() || '0.0.0.0',
    port: integer('PORT', 8000, 0) ?? 8000,
    databaseUrl,
    dataDir: resolve(env.DATA_DIR?.trim() || './data'),
    migrationsRun: boolean('MIGRATIONS_RUN', true),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logLevel,
    secretKey,
    tokenLifetimeSeconds: integer('TOKEN_LIFETIME', undefined, 1),
    shutdownGraceSeconds: integer('SHUTDOWN_GRACE_SECONDS', 10, 0) ?? 10,
  };

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const value = raw?.trim();
  if (!value || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
