import { PermissionDeniedException } from '../../common/errors/app.exception';
import type { User } from '../../identity/users/user.entity';

type RoleFlags = Pick<User, 'isStaff' | 'isSupport'>;

/** Staff and global support see every issue and work them; these are user flags, not roles. */
export function isStaffOrSupport(user: RoleFlags): boolean {
  return user.isStaff || user.isSupport;
}

export function assertStaff(user: RoleFlags): void {
  if (!user.isStaff) throw new PermissionDeniedException();
}

export function assertStaffOrSupport(user: RoleFlags): void {
  if (!isStaffOrSupport(user)) throw new PermissionDeniedException();
}
