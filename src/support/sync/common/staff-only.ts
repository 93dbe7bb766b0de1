import { PermissionDeniedException } from '../../../common/errors/app.exception';
import type { User } from '../../../identity/users/user.entity';

/** Sync administration is for staff only; support users see tickets, not the plumbing. */
export function assertStaff(user: User): void {
  if (!user.isStaff) throw new PermissionDeniedException();
}
