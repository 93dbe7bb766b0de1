import { createHash } from 'node:crypto';

import { formatUuid } from '../../common/http/uuid';
import { CUSTOMER_ROLES, PROJECT_ROLES, RoleName } from './role-name';

/**
 * Returns a stable UUID (version 5 layout, SHA-1 of the role name) for a role. Roles are a fixed
 * list here rather than rows, but clients read `role_uuid` and may filter by it.
 */
export function roleUuid(role: RoleName): string {
  const bytes = createHash('sha1').update(`deskbridge-role:${role}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return formatUuid(bytes.toString('hex'));
}

/** Reads a role from its name or its `roleUuid`; undefined for anything else. */
export function roleFromNameOrUuid(value: string): RoleName | undefined {
  const normalized = value.replace(/-/g, '').toLowerCase();
  return [...CUSTOMER_ROLES, ...PROJECT_ROLES].find((role) => role === value || roleUuid(role) === normalized);
}
