import { formatUuid } from '../../../common/http/uuid';
import { User } from '../../users/user.entity';
import { RoleGrant } from '../role-grant.entity';
import { roleUuid } from '../role-uuid';

/** One row of `list_users` (Waldur's UserRoleDetails). */
export interface UserRoleDetailsDto {
  uuid: string;
  created: string;
  expiration_time: string | null;
  role_name: string;
  role_uuid: string;
  user_email: string;
  user_full_name: string;
  user_image: string | null;
  user_username: string;
  user_uuid: string;
  created_by_full_name: string | null;
  created_by_uuid: string | null;
}

/** Renders a grant loaded with its `user`; `creator` is the user who granted it, when known. */
export function toUserRoleDetailsDto(grant: RoleGrant, creator: Pick<User, 'uuid' | 'fullName'> | undefined): UserRoleDetailsDto {
  return {
    uuid: formatUuid(grant.uuid),
    created: grant.created.toISOString(),
    expiration_time: grant.expirationTime?.toISOString() ?? null,
    role_name: grant.role,
    role_uuid: roleUuid(grant.role),
    user_email: grant.user.email,
    user_full_name: grant.user.fullName,
    user_image: null,
    user_username: grant.user.username,
    user_uuid: formatUuid(grant.user.uuid),
    created_by_full_name: creator?.fullName ?? null,
    created_by_uuid: creator ? formatUuid(creator.uuid) : null,
  };
}
