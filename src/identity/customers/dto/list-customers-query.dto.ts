import { IsOptional, IsString } from 'class-validator';

import { LastQueryValue, QueryBoolean } from '../../shared/dto-fields';

/** Filters of GET `/api/customers/`; `o` is read by `applyOrdering`. */
export class ListCustomersQueryDto {
  /** Case-insensitive substring of the name. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  name?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  name_exact?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  abbreviation?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  native_name?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  backend_id?: string;

  /** Substring of name, abbreviation or native name. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  query?: string;

  /** True: only customers the caller owns (an active CUSTOMER.OWNER grant). */
  @IsOptional()
  @QueryBoolean()
  owned_by_current_user?: boolean;

  /** Customers where this user has an active customer role. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  user_uuid?: string;

  @IsOptional()
  o?: string | string[];
}
