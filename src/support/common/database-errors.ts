import { QueryFailedError } from 'typeorm';

/** Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505) on `constraint`, or on any when omitted. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
