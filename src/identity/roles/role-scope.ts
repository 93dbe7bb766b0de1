import { Customer } from '../customers/customer.entity';
import { Project } from '../projects/project.entity';
import { CUSTOMER_ROLES, PROJECT_ROLES, RoleName } from './role-name';

/** The customer or project that roles are granted in. */
export type RoleScopeTarget = { kind: 'customer'; customer: Customer } | { kind: 'project'; project: Project };

export function rolesOfScope(scope: RoleScopeTarget): readonly RoleName[] {
  return scope.kind === 'customer' ? CUSTOMER_ROLES : PROJECT_ROLES;
}

/** Returns the columns that identify the scope on a `role_grants` row. */
export function scopeColumns(scope: RoleScopeTarget): { scope: 'customer' | 'project'; customerId: number | null; projectId: number | null } {
  return scope.kind === 'customer'
    ? { scope: 'customer', customerId: scope.customer.id, projectId: null }
    : { scope: 'project', customerId: null, projectId: scope.project.id };
}

/** Returns a find condition that matches the grants of the scope. */
export function scopeWhere(scope: RoleScopeTarget): { customerId: number } | { projectId: number } {
  return scope.kind === 'customer' ? { customerId: scope.customer.id } : { projectId: scope.project.id };
}
