import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsString, MaxLength } from 'class-validator';

import { OptionalNotNull } from '../../common/optional-not-null.decorator';
import { IssueStatusType } from '../issue-status.entity';

const STATUS_TYPES = [IssueStatusType.RESOLVED, IssueStatusType.CANCELED, IssueStatusType.ACTIVE];
const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const invalidChoice = { message: ({ value }: { value: unknown }) => `"${String(value)}" is not a valid choice.` };

export class IssueStatusCreateDto {
  @ApiProperty({ maxLength: 255, description: 'Status name as the backend spells it.' })
  @trim()
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  @ApiPropertyOptional({ enum: STATUS_TYPES, description: '0 resolved, 1 canceled, 2 active; defaults to 0.' })
  @OptionalNotNull()
  @IsInt()
  @IsIn(STATUS_TYPES, invalidChoice)
  type?: IssueStatusType;
}

export class IssueStatusPatchDto extends PartialType(IssueStatusCreateDto, { skipNullProperties: false }) {}
