import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ObtainTokenDto {
  @ApiProperty({ maxLength: 128, example: 'alice' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  username: string;

  @ApiProperty({ maxLength: 128, format: 'password' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}
