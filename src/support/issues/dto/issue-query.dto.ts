import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

import { AsList, LastValue } from '../../common/query-params';

/** Filters of `GET /api/support-issues/`; unknown parameters (HomePort's `user=`) are dropped. */
export class IssueQueryDto {
  @ApiPropertyOptional({ description: 'Summary contains.' })
  @IsOptional()
  @LastValue()
  @IsString()
  summary?: string;

  @ApiPropertyOptional({ description: 'Summary or key contains.' })
  @IsOptional()
  @LastValue()
  @IsString()
  query?: string;

  @ApiPropertyOptional({ format: 'uri' })
  @IsOptional()
  @LastValue()
  @IsString()
  customer?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LastValue()
  @IsString()
  customer_uuid?: string;

  @ApiPropertyOptional({ format: 'uri' })
  @IsOptional()
  @LastValue()
  @IsString()
  project?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LastValue()
  @IsString()
  project_uuid?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Support user URL.' })
  @IsOptional()
  @LastValue()
  @IsString()
  reporter?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @LastValue()
  @IsString()
  reporter_name?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'User URL.' })
  @IsOptional()
  @LastValue()
  @IsString()
  caller?: string;

  @ApiPropertyOptional({ description: 'Caller full name contains.' })
  @IsOptional()
  @LastValue()
  @IsString()
  caller_full_name?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Support user URL.' })
  @IsOptional()
  @LastValue()
  @IsString()
  assignee?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @LastValue()
  @IsString()
  assignee_name?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Marketplace resource URL.' })
  @IsOptional()
  @LastValue()
  @IsString()
  resource?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LastValue()
  @IsString()
  resource_uuid?: string;

  @ApiPropertyOptional({ description: 'An address in the resource internal IP list.' })
  @IsOptional()
  @LastValue()
  @IsString()
  resource_internal_ip?: string;

  @ApiPropertyOptional({ description: 'An address in the resource external IP list.' })
  @IsOptional()
  @LastValue()
  @IsString()
  resource_external_ip?: string;

  @ApiPropertyOptional({ description: 'Remote id contains.' })
  @IsOptional()
  @LastValue()
  @IsString()
  remote_id?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM of the resolution date (UTC).' })
  @IsOptional()
  @LastValue()
  @IsString()
  resolution_year_month?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @LastValue()
  @IsString()
  key?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @LastValue()
  @IsString()
  type?: string;

  @ApiPropertyOptional({ type: [String], description: 'Exact status; repeat the parameter to match any of several.' })
  @IsOptional()
  @AsList()
  @IsString({ each: true })
  status?: string[];

  @ApiPropertyOptional({ description: 'Ordering keys of IssueOEnum plus caller_full_name; default -created.' })
  @IsOptional()
  o?: string | string[];
}
