import { EntityManager } from 'typeorm';

import type { CustomerRole, ProjectRole } from './role-name';

/** SQL condition for a grant that still counts: no expiry, or an expiry in the future. */
export const ACTIVE_GRANT = '(grant_row.expiration_time IS NULL OR grant_row.expiration_time > now())';

/**
 * Subquery of the customers where user `:<param>` holds any active customer role.
 * Use inside `IN (...)` with the parameter bound to the user id.
 */
export function connectedCustomerIdsSql(param: string, roles?: readonly CustomerRole[]): string {
  const roleFilter = roles ? ` AND grant_row.role IN (${roles.map((role) => `'${role}'`).join(', ')})` : '';
  return `SELECT grant_row.customer_id FROM role_grants grant_row WHERE grant_row.user_id = :${param} AND grant_row.customer_id IS NOT NULL AND ${ACTIVE_GRANT}${roleFilter}`;
}

/** Subquery of the projects where user `:<param>` holds any active project role. */
export function connectedProjectIdsSql(param: string, roles?: readonly ProjectRole[]): string {
  const roleFilter = roles ? ` AND grant_row.role IN (${roles.map((role) => `'${role}'`).join(', ')})` : '';
  return `SELECT grant_row.project_id FROM role_grants grant_row WHERE grant_row.user_id = :${param} AND grant_row.project_id IS NOT NULL AND ${ACTIVE_GRANT}${roleFilter}`;
}

export async function hasCustomerRole(
  manager: EntityManager,
  userId: number,
  customerId: number,
  roles: readonly CustomerRole[],
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM role_grants grant_row
      WHERE grant_row.user_id = $1 AND grant_row.customer_id = $2 AND grant_row.role = ANY($3) AND ${ACTIVE_GRANT}
      LIMIT 1`,
    [userId, customerId, roles],
  );
  return rows.length > 0;
}

export async function hasProjectRole(
  manager: EntityManager,
  userId: number,
  projectId: number,
  roles: readonly ProjectRole[],
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM role_grants grant_row
      WHERE grant_row.user_id = $1 AND grant_row.project_id = $2 AND grant_row.role = ANY($3) AND ${ACTIVE_GRANT}
      LIMIT 1`,
    [userId, projectId, roles],
  );
  return rows.length > 0;
}
