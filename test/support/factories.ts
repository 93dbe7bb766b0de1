import { randomBytes } from 'node:crypto';

import { DataSource, DeepPartial } from 'typeorm';

import { hashPassword } from '../../src/identity/auth/password-hash';
import { Customer } from '../../src/identity/customers/customer.entity';
import { Project } from '../../src/identity/projects/project.entity';
import { RoleGrant } from '../../src/identity/roles/role-grant.entity';
import { isCustomerRole, RoleName } from '../../src/identity/roles/role-name';
import { AuthToken } from '../../src/identity/tokens/auth-token.entity';
import { generateTokenKey, hashTokenKey } from '../../src/identity/tokens/token-hash';
import { User } from '../../src/identity/users/user.entity';

export interface UserWithToken {
  user: User;
  token: string;
  /** `Authorization` header value for supertest's `.set()`. */
  auth: string;
}

function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Inserts a user with an API token straight into the database. */
export async function createUser(dataSource: DataSource, fields: DeepPartial<User> = {}): Promise<UserWithToken> {
  const suffix = uniqueSuffix();
  const firstName = fields.firstName ?? 'Test';
  const lastName = fields.lastName ?? `User ${suffix}`;
  const user = await dataSource.getRepository(User).save({
    username: `user-${suffix}`,
    email: `user-${suffix}@example.com`,
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`.trim(),
    ...fields,
  });
  const token = generateTokenKey();
  await dataSource.getRepository(AuthToken).save({ userId: user.id, keyHash: hashTokenKey(token), expiresAt: null });
  return { user, token, auth: `Token ${token}` };
}

/** Inserts a user who can log in with `password`, with an API token as `createUser` makes. */
export async function createUserWithPassword(dataSource: DataSource, password: string, fields: DeepPartial<User> = {}): Promise<UserWithToken> {
  return createUser(dataSource, { passwordHash: await hashPassword(password), ...fields });
}

export function createStaff(dataSource: DataSource, fields: DeepPartial<User> = {}): Promise<UserWithToken> {
  return createUser(dataSource, { isStaff: true, ...fields });
}

export async function createCustomer(dataSource: DataSource, fields: DeepPartial<Customer> = {}): Promise<Customer> {
  return dataSource.getRepository(Customer).save({ name: `Customer ${uniqueSuffix()}`, ...fields });
}

export async function createProject(dataSource: DataSource, customer: Customer, fields: DeepPartial<Project> = {}): Promise<Project> {
  return dataSource.getRepository(Project).save({ name: `Project ${uniqueSuffix()}`, customerId: customer.id, ...fields });
}

/** Grants `role` on a customer (for CUSTOMER.*) or a project (for PROJECT.*). */
export async function grantRole(
  dataSource: DataSource,
  user: User,
  role: RoleName,
  scope: Customer | Project,
  expirationTime: Date | null = null,
): Promise<RoleGrant> {
  const onCustomer = isCustomerRole(role);
  return dataSource.getRepository(RoleGrant).save({
    userId: user.id,
    role,
    scope: onCustomer ? 'customer' : 'project',
    customerId: onCustomer ? scope.id : null,
    projectId: onCustomer ? null : scope.id,
    expirationTime,
  });
}
