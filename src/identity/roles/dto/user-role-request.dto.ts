import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsISO8601, IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** Body of `add_user`: grant `role` to `user` (a bare UUID or a user hyperlink), optionally until `expiration_time`. */
export class AddUserRoleDto {
  @ApiProperty({ format: 'uuid', example: '8f20242b638743b18a485f81ac685e13' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  user: string;

  @ApiProperty({ example: 'PROJECT.ADMIN' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  role: string;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, example: '2030-12-31T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiration_time?: string | null;
}

/** Body of `delete_user`: revoke `role` from `user`. */
export class DeleteUserRoleDto {
  @ApiProperty({ format: 'uuid' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  user: string;

  @ApiProperty({ example: 'PROJECT.ADMIN' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  role: string;
}
