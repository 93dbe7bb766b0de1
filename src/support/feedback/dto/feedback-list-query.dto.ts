import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Filters of `GET /api/support-feedbacks/`; values are parsed by the service. */
export class FeedbackListQueryDto {
  @ApiPropertyOptional({ format: 'uri', description: 'Hyperlink of the issue' })
  @IsOptional()
  @IsString()
  issue?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  issue_uuid?: string;

  @ApiPropertyOptional({ format: 'uri', description: "Hyperlink of the issue's caller" })
  @IsOptional()
  @IsString()
  user?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "UUID of the issue's caller" })
  @IsOptional()
  @IsString()
  user_uuid?: string;

  @ApiPropertyOptional({ description: 'Created at or before; a bare date YYYY-MM-DD means the end of that day (UTC)' })
  @IsOptional()
  @IsString()
  created_before?: string;

  @ApiPropertyOptional({ description: 'Created at or after; a bare date YYYY-MM-DD means the start of that day (UTC)' })
  @IsOptional()
  @IsString()
  created_after?: string;

  @ApiPropertyOptional({
    isArray: true,
    type: String,
    description: 'Evaluation, repeatable; a label such as "10 - Very positive" counts by its leading integer',
  })
  @IsOptional()
  @IsString({ each: true })
  evaluation?: string | string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  issue_key?: string;

  @ApiPropertyOptional({ description: "Caller's full name contains, ignoring case" })
  @IsOptional()
  @IsString()
  user_full_name?: string;

  @ApiPropertyOptional({ description: "Issue key, issue summary or caller's full name contains, ignoring case" })
  @IsOptional()
  @IsString()
  query?: string;

  @ApiPropertyOptional({ description: 'Ordering: created, evaluation, user_full_name, each with an optional "-"; default created' })
  @IsOptional()
  @IsString({ each: true })
  o?: string | string[];
}
