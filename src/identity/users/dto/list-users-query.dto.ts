import { IsOptional, IsString } from 'class-validator';

import { LastQueryValue, QueryBoolean } from '../../shared/dto-fields';

/** Filters of GET `/api/users/`; `o` is read by `applyOrdering`. */
export class ListUsersQueryDto {
  /** Exact username. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  username?: string;

  /** Comma-separated exact usernames. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  username_list?: string;

  /** Case-insensitive substring of the email. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  email?: string;

  /** Case-insensitive substring of the full name. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  full_name?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  civil_number?: string;

  /** Substring of first name, last name, full name, username or email. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  query?: string;

  @IsOptional()
  @QueryBoolean()
  is_active?: boolean;

  @IsOptional()
  @QueryBoolean()
  is_staff?: boolean;

  @IsOptional()
  @QueryBoolean()
  is_support?: boolean;

  /** Users with an active role in this customer. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  customer_uuid?: string;

  /** Users with an active role in this project. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  project_uuid?: string;

  @IsOptional()
  o?: string | string[];
}
