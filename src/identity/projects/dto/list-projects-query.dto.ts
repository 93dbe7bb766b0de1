import { IsOptional, IsString } from 'class-validator';

import { LastQueryValue, QueryList } from '../../shared/dto-fields';

/** Filters of GET `/api/projects/`; `o` is read by `applyOrdering`. */
export class ListProjectsQueryDto {
  /** Case-insensitive substring of the name. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  name?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  name_exact?: string;

  /** Customer UUIDs or hyperlinks; repeat the parameter for several. */
  @IsOptional()
  @QueryList()
  @IsString({ each: true })
  customer?: string[];

  @IsOptional()
  @LastQueryValue()
  @IsString()
  customer_name?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  customer_abbreviation?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  description?: string;

  @IsOptional()
  @LastQueryValue()
  @IsString()
  backend_id?: string;

  /** Substring of the project name. */
  @IsOptional()
  @LastQueryValue()
  @IsString()
  query?: string;

  @IsOptional()
  o?: string | string[];
}
