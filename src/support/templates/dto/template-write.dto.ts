import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

import { TEMPLATE_ISSUE_TYPES, TemplateIssueType } from '../template.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Body of `POST` and `PUT /api/support-templates/`. */
export class TemplateWriteDto {
  @ApiProperty({ maxLength: 150 })
  @Transform(trim)
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name: string;

  @ApiProperty()
  @Transform(trim)
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  description: string;

  @ApiPropertyOptional({ enum: TEMPLATE_ISSUE_TYPES, default: 'INFORMATIONAL' })
  @IsOptional()
  @IsIn(TEMPLATE_ISSUE_TYPES, { message: ({ value }) => `"${String(value)}" is not a valid choice.` })
  issue_type?: TemplateIssueType;
}

/** Body of `PATCH /api/support-templates/{uuid}/`. */
export class TemplatePatchDto extends PartialType(TemplateWriteDto) {}
