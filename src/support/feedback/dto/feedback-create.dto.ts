import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, ValidateBy } from 'class-validator';

export const MIN_EVALUATION = 1;
export const MAX_EVALUATION = 10;

/** Body of `POST /api/support-feedbacks/`. */
export class FeedbackCreateDto {
  @ApiProperty({ writeOnly: true, description: 'The token of the feedback link' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  token: string;

  @ApiProperty({ minimum: MIN_EVALUATION, maximum: MAX_EVALUATION, type: 'integer' })
  @IsDefined()
  @ValidateBy({
    name: 'isEvaluation',
    validator: {
      validate: (value) => Number.isInteger(value) && value >= MIN_EVALUATION && value <= MAX_EVALUATION,
      defaultMessage: (args) => `"${String(args?.value)}" is not a valid choice. Send an integer from ${MIN_EVALUATION} to ${MAX_EVALUATION}.`,
    },
  })
  evaluation: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  comment?: string;
}
