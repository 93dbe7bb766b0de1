import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { Public } from '../../common/auth/auth.decorators';
import { AuthService } from './auth.service';
import { ObtainTokenDto } from './dto/obtain-token.dto';

@ApiTags('api-auth')
@Controller('api-auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  // 'no-auth': a stale token in the header must not stop a user from logging in again.
  @Public('no-auth')
  @Post('password')
  @HttpCode(200)
  @ApiOperation({ operationId: 'api_auth_password', summary: 'Obtain authentication token' })
  @ApiOkResponse({ description: 'A new token: `{"token": "<key>"}`.' })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password, or the user is inactive.' })
  obtainToken(@Body() credentials: ObtainTokenDto, @Ip() clientIp: string | undefined) {
    return this.auth.obtainToken(credentials, (clientIp ?? 'unknown').slice(0, 64));
  }
}
