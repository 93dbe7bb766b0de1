import { Controller, Get, Head, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { SupportUserQueryDto } from './dto/support-user-query.dto';
import { SupportUserResponse, SupportUsersService } from './support-users.service';

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
}
