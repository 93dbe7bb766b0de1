import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { AppException } from '../../common/errors/app.exception';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import { CurrentToken, RequestToken } from '../auth/current-token.decorator';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { PasswordChangeDto, PatchUserRequestDto, UserRequestDto } from './dto/user-request.dto';
import { User } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ operationId: 'users_list' })
  list(@CurrentUser() actor: User, @Query() query: ListUsersQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.users.list(actor, query, paginator, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'users_create' })
  create(@CurrentUser() actor: User, @Body() body: UserRequestDto, @Urls() urls: ApiUrls) {
    return this.users.create(actor, body, urls);
  }

  // Declared before ':uuid' so that "me" is not read as a UUID.
  @Get('me')
  @ApiOperation({ operationId: 'users_me_retrieve', summary: 'Get current user details' })
  me(@CurrentUser() actor: User, @CurrentToken() token: RequestToken | null, @Urls() urls: ApiUrls) {
    return this.users.me(actor, token, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'users_retrieve' })
  retrieve(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.users.retrieve(actor, uuid, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'users_update' })
  update(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: UserRequestDto, @Urls() urls: ApiUrls) {
    return this.users.update(actor, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'users_partial_update' })
  partialUpdate(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: PatchUserRequestDto, @Urls() urls: ApiUrls) {
    return this.users.update(actor, uuid, body, urls);
  }

  /** Users are deactivated (`is_active: false`), never deleted, so their issues and comments keep an author. */
  @Delete(':uuid')
  @ApiOperation({ operationId: 'users_destroy', summary: 'Not supported: deactivate the user instead' })
  remove(): never {
    throw new AppException('method_not_allowed', 'Method "DELETE" not allowed. Deactivate the user with is_active=false instead.');
  }

  @Post(':uuid/change_password')
  @HttpCode(200)
  @ApiOperation({ operationId: 'users_change_password', summary: 'Change user password' })
  changePassword(@CurrentUser() actor: User, @Param('uuid') uuid: string, @Body() body: PasswordChangeDto, @CurrentToken() token: RequestToken | null) {
    return this.users.changePassword(actor, uuid, body, token);
  }

  @Get(':uuid/token')
  @ApiOperation({ operationId: 'users_token_retrieve', summary: 'Get user auth token' })
  token(@CurrentUser() actor: User, @Param('uuid') uuid: string) {
    return this.users.token(actor, uuid);
  }
}
