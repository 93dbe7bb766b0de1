import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { connectedCustomerIdsSql, connectedProjectIdsSql } from '../roles/role-queries';
import { User } from '../users/user.entity';

/** Staff and global support see every customer, project and user. */
export function seesEverything(user: User): boolean {
  return user.isStaff || user.isSupport;
}

/**
 * Limits a customer query (alias `customerAlias`) to what `user` may see: customers where
 * they hold an active customer role, or an active role in one of the customer's projects.
 */
export function whereCustomerVisible<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  user: User,
  customerAlias: string,
): SelectQueryBuilder<T> {
  if (seesEverything(user)) return query;
  return query.andWhere(
    `(${customerAlias}.id IN (${connectedCustomerIdsSql('visibilityUserId')})
      OR ${customerAlias}.id IN (SELECT visible_project.customer_id FROM projects visible_project
                                 WHERE visible_project.id IN (${connectedProjectIdsSql('visibilityUserId')})))`,
    { visibilityUserId: user.id },
  );
}

/**
 * Limits a project query (alias `projectAlias`) to what `user` may see: projects where they
 * hold an active project role, and every project of a customer where they hold an active customer role.
 */
export function whereProjectVisible<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  user: User,
  projectAlias: string,
): SelectQueryBuilder<T> {
  if (seesEverything(user)) return query;
  return query.andWhere(
    `(${projectAlias}.id IN (${connectedProjectIdsSql('visibilityUserId')})
      OR ${projectAlias}.customer_id IN (${connectedCustomerIdsSql('visibilityUserId')}))`,
    { visibilityUserId: user.id },
  );
}
