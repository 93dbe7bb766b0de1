import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { connectedCustomerIdsSql, connectedProjectIdsSql } from '../../identity/roles/role-queries';
import type { User } from '../../identity/users/user.entity';

/** Staff and global support see every issue. */
export function seesAllIssues(user: User): boolean {
  return user.isStaff || user.isSupport;
}

/**
 * Restricts `query` to the issues `user` may see, `issueAlias` naming the issue in it.
 * Staff and support see all issues. Everyone else sees issues of customers where they
 * hold any customer role, of projects where they hold any project role, and issues
 * where they are the caller. A project role does not reach the project's customer.
 * Expired role grants never count.
 */
export function restrictToVisibleIssues<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  issueAlias: string,
  user: User,
): SelectQueryBuilder<T> {
  if (seesAllIssues(user)) return query;
  const param = `${issueAlias}VisibilityUserId`;
  return query.andWhere(
    `(${issueAlias}.customerId IN (${connectedCustomerIdsSql(param)})
      OR ${issueAlias}.projectId IN (${connectedProjectIdsSql(param)})
      OR ${issueAlias}.callerId = :${param})`,
    { [param]: user.id },
  );
}
