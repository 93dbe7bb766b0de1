import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs raw SQL and returns its rows. TypeORM returns `[rows, rowCount]` for UPDATE and
 * DELETE statements (also with RETURNING) and the rows alone for the others; this hides that.
 */
export async function queryRows<T = Record<string, unknown>>(
  executor: DataSource | EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await executor.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return (result ?? []) as T[];
}

/** PostgreSQL interval arithmetic on a millisecond count passed as a parameter. */
export function millisecondsParam(index: number): string {
  return `($${index}::double precision * interval '1 millisecond')`;
}
