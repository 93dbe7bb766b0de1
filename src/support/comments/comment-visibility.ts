import type { ObjectLiteral } from 'typeorm';

import type { User } from '../../identity/users/user.entity';
import { isStaffOrSupport } from '../common/support-roles';

/** Query aliases of a comment and of its author (a support user) in a query. */
export interface CommentAliases {
  comment: string;
  author: string;
}

/** A SQL condition with its named parameters, for `andWhere`. */
export interface SqlCondition {
  sql: string;
  parameters: ObjectLiteral;
}

/**
 * Builds the condition under which `viewer` may read a comment. Internal comments
 * (`is_public` false) are shown to staff, to global support and to their own author, and
 * public comments to everyone who may view the issue. Returns null when `viewer` may read
 * every comment. A row whose comment is missing (a left join that found none) fails the
 * condition.
 */
export function readableCommentCondition(viewer: User, aliases: CommentAliases): SqlCondition | null {
  if (isStaffOrSupport(viewer)) return null;
  const param = `${aliases.comment}ReaderId`;
  return {
    sql: `(${aliases.comment}.isPublic = true OR ${aliases.author}.userId = :${param})`,
    parameters: { [param]: viewer.id },
  };
}
