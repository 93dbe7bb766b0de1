import { PermissionDeniedException } from '../../common/errors/app.exception';
import type { User } from '../../identity/users/user.entity';

/** Throws 403 unless `user` is staff. */
export function ensureStaff(user: User): void {
  if (!user.isStaff) throw new PermissionDeniedException();
}

/** Throws 403 unless `user` is staff or global support. */
export function ensureStaffOrSupport(user: User): void {
  if (!user.isStaff && !user.isSupport) throw new PermissionDeniedException();
}
