import { All, Controller, Get, Head, Param, Query, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { MethodNotAllowedException } from '../common/method-not-allowed.exception';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { SupportUserQueryDto } from './dto/support-user-query.dto';
import { SupportUserResponse, SupportUsersService } from './support-users.service';

/** Helpdesk accounts are read-only here: they come from the backends and from comment authors. */
@ApiTags('support-users')
@SupportEndpoint()
@Controller('api/support-users')
export class SupportUsersController {
  constructor(private readonly supportUsers: SupportUsersService) {}

  @Head()
  @ApiOperation({ operationId: 'support_users_count' })
  count(
    @CurrentUser() user: User,
    @Query() query: SupportUserQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<SupportUserResponse[]> {
    return this.supportUsers.list(user, query, paginator, urls);
  }

  @Get()
  @ApiOperation({ operationId: 'support_users_list' })
  list(
    @CurrentUser() user: User,
    @Query() query: SupportUserQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<SupportUserResponse[]> {
    return this.supportUsers.list(user, query, paginator, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_users_retrieve' })
  retrieve(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string, @Urls() urls: ApiUrls): Promise<SupportUserResponse> {
    return this.supportUsers.retrieve(user, uuid, urls);
  }

  @All()
  @ApiExcludeEndpoint()
  collectionWrite(@Req() request: Request): never {
    throw new MethodNotAllowedException(request.method, ['GET', 'HEAD']);
  }

  @All(':uuid')
  @ApiExcludeEndpoint()
  detailWrite(@Req() request: Request): never {
    throw new MethodNotAllowedException(request.method, ['GET', 'HEAD']);
  }
}
