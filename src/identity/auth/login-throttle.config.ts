import { ConfigValidationError } from '../../config/app.config';

/** Limits on failed password logins within a sliding window. */
export interface LoginThrottleOptions {
  /** Failures allowed per username within the window before further attempts get 429. */
  maxFailuresPerUsername: number;
  /** Failures allowed per client IP within the window; higher, since users behind one NAT share it. */
  maxFailuresPerClientIp: number;
  windowSeconds: number;
}

export const LOGIN_THROTTLE_OPTIONS = Symbol('LOGIN_THROTTLE_OPTIONS');

/**
 * Reads LOGIN_FAILURES_PER_USERNAME (default 10), LOGIN_FAILURES_PER_IP (default 30) and
 * LOGIN_FAILURE_WINDOW_SECONDS (default 900), listing every invalid value at once.
 */
export function loadLoginThrottleOptions(env: NodeJS.ProcessEnv = process.env): LoginThrottleOptions {
  const problems: string[] = [];
  const positiveInteger = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= 1) return value;
    problems.push(`${name} must be an integer >= 1, got "${env[name]}"`);
    return fallback;
  };

  const options = {
    maxFailuresPerUsername: positiveInteger('LOGIN_FAILURES_PER_USERNAME', 10),
    maxFailuresPerClientIp: positiveInteger('LOGIN_FAILURES_PER_IP', 30),
    windowSeconds: positiveInteger('LOGIN_FAILURE_WINDOW_SECONDS', 900),
  };
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return options;
}
