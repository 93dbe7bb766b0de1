import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { connectedCustomerIdsSql, connectedProjectIdsSql, hasCustomerRole } from '../../identity/roles/role-queries';
import type { User } from '../../identity/users/user.entity';
import type { Issue } from '../issues/issue.entity';
import { seesAllIssues } from '../issues/issue-visibility';
import type { Attachment } from './attachment.entity';

/**
 * Restricts `query` to issues whose attachments `user` may see and add to. Staff and
 * support may use all of them. Others may use issues of customers they own, issues of
 * projects where they hold any project role (admin, manager or member, who may also
 * comment there) and issues where they are the caller.
 * Each of these issues is also in the caller's issue list, so an attachment is never
 * shown to someone who cannot see its issue. Customer-level support and service
 * managers see the issue but not its attachments.
 */
export function restrictToAttachmentIssues<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  issueAlias: string,
  user: User,
): SelectQueryBuilder<T> {
  if (seesAllIssues(user)) return query;
  const param = `${issueAlias}AttachmentUserId`;
  return query.andWhere(
    `(${issueAlias}.customerId IN (${connectedCustomerIdsSql(param, ['CUSTOMER.OWNER'])})
      OR ${issueAlias}.projectId IN (${connectedProjectIdsSql(param)})
      OR ${issueAlias}.callerId = :${param})`,
    { [param]: user.id },
  );
}

/** Checks whether `user` may delete the attachment: staff, its uploader and owners of the issue's customer may. */
export async function mayDeleteAttachment(manager: EntityManager, user: User, attachment: Attachment, issue: Issue): Promise<boolean> {
  if (user.isStaff) return true;
  if (attachment.author?.userId === user.id) return true;
  return issue.customerId !== null && hasCustomerRole(manager, user.id, issue.customerId, ['CUSTOMER.OWNER']);
}
