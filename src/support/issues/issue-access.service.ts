import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import type { Project } from '../../identity/projects/project.entity';
import { PROJECT_ROLES } from '../../identity/roles/role-name';
import { connectedCustomerIdsSql, connectedProjectIdsSql, hasCustomerRole, hasProjectRole } from '../../identity/roles/role-queries';
import type { User } from '../../identity/users/user.entity';
import { isStaffOrSupport } from '../common/support-roles';
import type { Issue } from './issue.entity';

/**
 * Who may see and act on issues. Staff and global support see every issue; other users see
 * issues of customers where they hold any customer role, of projects where they hold any
 * project role, and issues they are the caller of. Expired role grants never count.
 */
@Injectable()
export class IssueAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Narrows a query over issues (aliased `issueAlias`) to those `user` may see. */
  restrictToVisible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, user: User, issueAlias = 'issue'): SelectQueryBuilder<T> {
    if (isStaffOrSupport(user)) return query;
    return query.andWhere(
      `(${issueAlias}.customerId IN (${connectedCustomerIdsSql('viewerId')})` +
        ` OR ${issueAlias}.projectId IN (${connectedProjectIdsSql('viewerId')})` +
        ` OR ${issueAlias}.callerId = :viewerId)`,
      { viewerId: user.id },
    );
  }

  /** Customers: staff, support and owners may file issues for a customer. */
  async mayUseCustomer(user: User, customerId: number, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (isStaffOrSupport(user)) return true;
    return hasCustomerRole(manager, user.id, customerId, ['CUSTOMER.OWNER']);
  }

  /** Projects: staff, support, owners of the project's customer and anyone with a project role. */
  async mayUseProject(
    user: User,
    project: Pick<Project, 'id' | 'customerId'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    if (isStaffOrSupport(user)) return true;
    if (await hasCustomerRole(manager, user.id, project.customerId, ['CUSTOMER.OWNER'])) return true;
    return hasProjectRole(manager, user.id, project.id, PROJECT_ROLES);
  }

  /**
   * Commenting follows the create rules, so whoever may file an issue in its scope may
   * comment on it: owners of the issue's customer, anyone with a role in its project, and
   * the caller of a personal issue (one with neither customer nor project).
   */
  async mayComment(user: User, issue: Pick<Issue, 'customerId' | 'projectId' | 'callerId'>): Promise<boolean> {
    if (isStaffOrSupport(user)) return true;
    const manager = this.dataSource.manager;
    if (issue.customerId === null && issue.projectId === null) return issue.callerId === user.id;
    if (issue.customerId !== null && (await hasCustomerRole(manager, user.id, issue.customerId, ['CUSTOMER.OWNER']))) return true;
    if (issue.projectId !== null) return hasProjectRole(manager, user.id, issue.projectId, PROJECT_ROLES);
    return false;
  }
}
