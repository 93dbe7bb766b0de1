import { EntityManager } from 'typeorm';

import { PermissionDeniedException } from '../../common/errors/app.exception';
import { User } from '../users/user.entity';
import { RoleName } from './role-name';
import { hasCustomerRole, hasProjectRole } from './role-queries';
import { RoleScopeTarget } from './role-scope';

/**
 * Returns the roles `actor` may grant and revoke in `scope`:
 * - staff: every role;
 * - customer owners: CUSTOMER.SUPPORT and CUSTOMER.MANAGER in their customer, and every
 *   project role in its projects; CUSTOMER.OWNER stays with staff, as Waldur does by default;
 * - project managers: PROJECT.ADMIN and PROJECT.MEMBER in their project.
 * Global support (`is_support`) may look but not change.
 */
async function managedRoles(manager: EntityManager, actor: User, scope: RoleScopeTarget): Promise<readonly RoleName[]> {
  if (actor.isStaff) return ['CUSTOMER.OWNER', 'CUSTOMER.SUPPORT', 'CUSTOMER.MANAGER', 'PROJECT.ADMIN', 'PROJECT.MANAGER', 'PROJECT.MEMBER'];
  if (scope.kind === 'customer') {
    const isOwner = await hasCustomerRole(manager, actor.id, scope.customer.id, ['CUSTOMER.OWNER']);
    return isOwner ? ['CUSTOMER.SUPPORT', 'CUSTOMER.MANAGER'] : [];
  }
  if (await hasCustomerRole(manager, actor.id, scope.project.customerId, ['CUSTOMER.OWNER'])) {
    return ['PROJECT.ADMIN', 'PROJECT.MANAGER', 'PROJECT.MEMBER'];
  }
  if (await hasProjectRole(manager, actor.id, scope.project.id, ['PROJECT.MANAGER'])) return ['PROJECT.ADMIN', 'PROJECT.MEMBER'];
  return [];
}

/** Raises 403 unless `actor` may manage at least one role in `scope`. */
export async function assertMayManageRoles(manager: EntityManager, actor: User, scope: RoleScopeTarget): Promise<void> {
  if ((await managedRoles(manager, actor, scope)).length === 0) throw new PermissionDeniedException();
}

/** Raises 403 unless `actor` may grant and revoke `role` in `scope`. */
export async function assertMayManageRole(manager: EntityManager, actor: User, scope: RoleScopeTarget, role: RoleName): Promise<void> {
  if (!(await managedRoles(manager, actor, scope)).includes(role)) {
    throw new PermissionDeniedException(`You do not have permission to grant or revoke the ${role} role here.`);
  }
}
