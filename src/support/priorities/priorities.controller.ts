import { Body, Controller, Delete, Get, Head, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { PriorityCreateDto, PriorityPatchDto, PriorityQueryDto } from './dto/priority.dto';
import { PrioritiesService, PriorityResponse } from './priorities.service';

/** Read for every authenticated user; writes are staff-only and need a backend that manages priorities locally. */
@ApiTags('support-priorities')
@SupportEndpoint()
@Controller('api/support-priorities')
export class PrioritiesController {
  constructor(private readonly priorities: PrioritiesService) {}

  @Head()
  @ApiOperation({ operationId: 'support_priorities_count' })
  count(@Query() query: PriorityQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls): Promise<PriorityResponse[]> {
    return this.priorities.list(query, paginator, urls);
  }

  @Get()
  @ApiOperation({ operationId: 'support_priorities_list' })
  list(@Query() query: PriorityQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls): Promise<PriorityResponse[]> {
    return this.priorities.list(query, paginator, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_priorities_retrieve' })
  retrieve(@Param('uuid', UuidPathPipe) uuid: string, @Urls() urls: ApiUrls): Promise<PriorityResponse> {
    return this.priorities.retrieve(uuid, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'support_priorities_create' })
  create(@CurrentUser() user: User, @Body() body: PriorityCreateDto, @Urls() urls: ApiUrls): Promise<PriorityResponse> {
    return this.priorities.create(user, body, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'support_priorities_update' })
  update(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: PriorityCreateDto,
    @Urls() urls: ApiUrls,
  ): Promise<PriorityResponse> {
    return this.priorities.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'support_priorities_partial_update' })
  partialUpdate(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: PriorityPatchDto,
    @Urls() urls: ApiUrls,
  ): Promise<PriorityResponse> {
    return this.priorities.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_priorities_destroy' })
  destroy(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string): Promise<void> {
    return this.priorities.destroy(user, uuid);
  }
}
