import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { OptionalNotNull } from '../../shared/dto-fields';
import { USERNAME_MESSAGE, USERNAME_PATTERN } from '../user-accounts';

export const MIN_TOKEN_LIFETIME = 60;
export const MAX_TOKEN_LIFETIME = 2147483647;

/** Body of POST and PUT `/api/users/`. `full_name` is derived from first and last name. */
export class UserRequestDto {
  @ApiProperty({ maxLength: 128, pattern: USERNAME_PATTERN.source })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username: string;

  @ApiProperty({ format: 'email', maxLength: 320 })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  @IsEmail()
  email: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(100)
  first_name?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @OptionalNotNull()
  @IsString()
  @MaxLength(100)
  last_name?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  is_staff?: boolean;

  @ApiPropertyOptional({ description: 'Global support user: sees every customer, project and user.' })
  @OptionalNotNull()
  @IsBoolean()
  is_support?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ minimum: MIN_TOKEN_LIFETIME, maximum: MAX_TOKEN_LIFETIME, nullable: true, description: 'Lifetime of new tokens in seconds; null for the server default.' })
  @IsOptional()
  @IsInt()
  @Min(MIN_TOKEN_LIFETIME)
  @Max(MAX_TOKEN_LIFETIME)
  token_lifetime?: number | null;
}

/** Body of PATCH `/api/users/{uuid}/`: every field optional. */
export class PatchUserRequestDto extends PartialType(UserRequestDto, { skipNullProperties: false }) {}

export class PasswordChangeDto {
  @ApiProperty({ format: 'password', minLength: 1 })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  new_password: string;
}
