export const CUSTOMER_ROLES = ['CUSTOMER.OWNER', 'CUSTOMER.SUPPORT', 'CUSTOMER.MANAGER'] as const;
export const PROJECT_ROLES = ['PROJECT.ADMIN', 'PROJECT.MANAGER', 'PROJECT.MEMBER'] as const;

export type CustomerRole = (typeof CUSTOMER_ROLES)[number];
export type ProjectRole = (typeof PROJECT_ROLES)[number];
export type RoleName = CustomerRole | ProjectRole;

export type RoleScope = 'customer' | 'project';

export function isCustomerRole(role: string): role is CustomerRole {
  return (CUSTOMER_ROLES as readonly string[]).includes(role);
}

export function isProjectRole(role: string): role is ProjectRole {
  return (PROJECT_ROLES as readonly string[]).includes(role);
}
