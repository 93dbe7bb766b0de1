import { QueryFailedError } from 'typeorm';

interface PostgresError {
  code?: string;
  constraint?: string;
}

function postgresError(error: unknown): PostgresError | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  return error.driverError as PostgresError;
}

/** True for a unique violation (SQLSTATE 23505), optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = postgresError(error);
  return driverError?.code === '23505' && (!constraint || driverError.constraint === constraint);
}

/** True for a foreign key violation (SQLSTATE 23503): a row still refers to the one being removed. */
export function isForeignKeyViolation(error: unknown): boolean {
  return postgresError(error)?.code === '23503';
}
