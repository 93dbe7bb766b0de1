import { ApiUrls } from '../../../common/http/api-urls';
import { formatUuid } from '../../../common/http/uuid';
import { User } from '../user.entity';

/** A user as the API renders it. */
export interface UserDto {
  uuid: string;
  url: string;
  username: string;
  email: string;
  full_name: string;
  first_name: string;
  last_name: string;
  /** Null when unset, as Waldur stores it. */
  civil_number: string | null;
  is_staff: boolean;
  is_support: boolean;
  is_active: boolean;
  date_joined: string;
  token_lifetime: number | null;
}

/** A role the current user holds, in Waldur's Permission shape (`/api/users/me/` only). */
export interface PermissionDto {
  role_name: string;
  role_uuid: string;
  scope_type: 'customer' | 'project';
  scope_uuid: string;
  scope_name: string;
  customer_uuid: string;
  customer_name: string;
  expiration_time: string | null;
  created: string;
}

/** `/api/users/me/`: the user, the token of this request and the user's active roles. */
export interface CurrentUserDto extends UserDto {
  token: string | null;
  token_expires_at: string | null;
  permissions: PermissionDto[];
}

/** `/api/users/{uuid}/token/` (Waldur's UserAuthToken). */
export interface UserAuthTokenDto {
  token: string;
  created: string;
  expires_at: string | null;
  user_username: string;
  user_first_name: string;
  user_last_name: string;
  user_is_active: boolean;
  user_token_lifetime: number | null;
}

export function toUserDto(user: User, urls: ApiUrls): UserDto {
  return {
    uuid: formatUuid(user.uuid),
    url: urls.detail('users', user.uuid),
    username: user.username,
    email: user.email,
    full_name: user.fullName,
    first_name: user.firstName,
    last_name: user.lastName,
    civil_number: user.civilNumber || null,
    is_staff: user.isStaff,
    is_support: user.isSupport,
    is_active: user.isActive,
    date_joined: user.dateJoined.toISOString(),
    token_lifetime: user.tokenLifetime,
  };
}
