import { IsOptional, IsString } from 'class-validator';

import { LastQueryValue } from '../../shared/dto-fields';

/** Filters of `list_users`; `o` is read by `applyOrdering`. */
export class ListUserRolesQueryDto {
  /** A role name such as PROJECT.ADMIN, or its `role_uuid`. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  role?: string;

  /** User UUID. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  user?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  user_url?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  username?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  full_name?: string;

  /** Matches username, full name or email. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  search_string?: string;

  @IsOptional()
  o?: string | string[];
}
