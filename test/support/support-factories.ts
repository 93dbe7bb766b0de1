import { randomBytes } from 'node:crypto';

import { DataSource, DeepPartial } from 'typeorm';

import { Customer } from '../../src/identity/customers/customer.entity';
import { Project } from '../../src/identity/projects/project.entity';
import { User } from '../../src/identity/users/user.entity';
import { SettingsService } from '../../src/settings/settings.service';
import { Comment } from '../../src/support/comments/comment.entity';
import { Feedback } from '../../src/support/feedback/feedback.entity';
import { Issue } from '../../src/support/issues/issue.entity';
import { Resource } from '../../src/support/resources/resource.entity';
import { SupportUser } from '../../src/support/support-users/support-user.entity';
import { TestApp } from './test-app';
import { createCustomer, createProject, createStaff, createUser, grantRole, UserWithToken } from './factories';

function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Inserts an issue straight into the database, as if the built-in desk had filed it. */
export async function createIssue(dataSource: DataSource, fields: DeepPartial<Issue> = {}): Promise<Issue> {
  const key = `SEED-${uniqueSuffix()}`;
  return dataSource.getRepository(Issue).save({
    backendName: 'basic',
    backendId: key,
    key,
    type: 'Informational',
    summary: `Issue ${uniqueSuffix()}`,
    status: 'Open',
    ...fields,
  });
}

/** Inserts an issue scoped to `project` and so to its customer. */
export function createProjectIssue(dataSource: DataSource, project: Project, fields: DeepPartial<Issue> = {}): Promise<Issue> {
  return createIssue(dataSource, { projectId: project.id, customerId: project.customerId, ...fields });
}

export async function createSupportUser(dataSource: DataSource, fields: DeepPartial<SupportUser> = {}): Promise<SupportUser> {
  return dataSource.getRepository(SupportUser).save({ name: `Agent ${uniqueSuffix()}`, backendName: 'basic', ...fields });
}

/** Inserts the helpdesk account of `user` on the built-in desk. */
export function createSupportUserFor(dataSource: DataSource, user: User, fields: DeepPartial<SupportUser> = {}): Promise<SupportUser> {
  return createSupportUser(dataSource, { name: user.fullName, userId: user.id, ...fields });
}

export async function createComment(
  dataSource: DataSource,
  issue: Issue,
  author: SupportUser,
  fields: DeepPartial<Comment> = {},
): Promise<Comment> {
  return dataSource.getRepository(Comment).save({
    issueId: issue.id,
    authorId: author.id,
    description: `Comment ${uniqueSuffix()}`,
    backendName: issue.backendName,
    ...fields,
  });
}

export async function createResource(dataSource: DataSource, project: Project, fields: DeepPartial<Resource> = {}): Promise<Resource> {
  return dataSource.getRepository(Resource).save({ name: `Resource ${uniqueSuffix()}`, projectId: project.id, ...fields });
}

export async function createFeedback(dataSource: DataSource, issue: Issue, fields: DeepPartial<Feedback> = {}): Promise<Feedback> {
  return dataSource.getRepository(Feedback).save({ issueId: issue.id, evaluation: 8, comment: 'Quick answer', ...fields });
}

/** Changes runtime settings the way an admin would, firing `settings.changed`. */
export async function updateSettings(testApp: TestApp, changes: Record<string, unknown>): Promise<void> {
  await testApp.app.get(SettingsService).update(changes as never);
}

/** One user per role the support permission rules distinguish, around one customer and project. */
export interface SupportWorld {
  customer: Customer;
  project: Project;
  /** A second customer and project where none of the users below holds a role. */
  otherCustomer: Customer;
  otherProject: Project;
  staff: UserWithToken;
  support: UserWithToken;
  owner: UserWithToken;
  customerSupport: UserWithToken;
  customerManager: UserWithToken;
  projectAdmin: UserWithToken;
  projectManager: UserWithToken;
  member: UserWithToken;
  /** A user with no role at all; the caller of personal issues in tests. */
  outsider: UserWithToken;
}

export async function createSupportWorld(dataSource: DataSource): Promise<SupportWorld> {
  const customer = await createCustomer(dataSource, { abbreviation: 'ACME' });
  const project = await createProject(dataSource, customer);
  const otherCustomer = await createCustomer(dataSource);
  const otherProject = await createProject(dataSource, otherCustomer);

  const world: SupportWorld = {
    customer,
    project,
    otherCustomer,
    otherProject,
    staff: await createStaff(dataSource, { firstName: 'Stella', lastName: 'Staff' }),
    support: await createUser(dataSource, { isSupport: true, firstName: 'Sam', lastName: 'Support' }),
    owner: await createUser(dataSource, { firstName: 'Olga', lastName: 'Owner' }),
    customerSupport: await createUser(dataSource, { firstName: 'Cora', lastName: 'Customer-Support' }),
    customerManager: await createUser(dataSource, { firstName: 'Carl', lastName: 'Customer-Manager' }),
    projectAdmin: await createUser(dataSource, { firstName: 'Ada', lastName: 'Admin' }),
    projectManager: await createUser(dataSource, { firstName: 'Max', lastName: 'Manager' }),
    member: await createUser(dataSource, { firstName: 'Mia', lastName: 'Member' }),
    outsider: await createUser(dataSource, { firstName: 'Otto', lastName: 'Outsider' }),
  };
  await grantRole(dataSource, world.owner.user, 'CUSTOMER.OWNER', customer);
  await grantRole(dataSource, world.customerSupport.user, 'CUSTOMER.SUPPORT', customer);
  await grantRole(dataSource, world.customerManager.user, 'CUSTOMER.MANAGER', customer);
  await grantRole(dataSource, world.projectAdmin.user, 'PROJECT.ADMIN', project);
  await grantRole(dataSource, world.projectManager.user, 'PROJECT.MANAGER', project);
  await grantRole(dataSource, world.member.user, 'PROJECT.MEMBER', project);
  return world;
}

/** Builds a hyperlink to an object as a client sends it. The API accepts any host. */
export function linkTo(collection: string, uuid: string): string {
  return `http://testserver/api/${collection}/${uuid.replace(/-/g, '')}/`;
}

/** 32-hex form of a stored UUID, as the API prints it. */
export function hex(uuid: string): string {
  return uuid.replace(/-/g, '');
}
