import { Body, Controller, Delete, Get, Head, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { ResourceCreateDto, ResourcePatchDto, ResourceQueryDto } from './dto/resource.dto';
import { ResourceResponse, ResourcesService } from './resources.service';

/** The registry of marketplace resources issues refer to; not a support route, so it stays up when support is disabled. */
@ApiTags('marketplace-resources')
@Controller('api/marketplace-resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Head()
  @ApiOperation({ operationId: 'marketplace_resources_count' })
  count(
    @CurrentUser() user: User,
    @Query() query: ResourceQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<ResourceResponse[]> {
    return this.resources.list(user, query, paginator, urls);
  }

  @Get()
  @ApiOperation({ operationId: 'marketplace_resources_list' })
  list(
    @CurrentUser() user: User,
    @Query() query: ResourceQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<ResourceResponse[]> {
    return this.resources.list(user, query, paginator, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'marketplace_resources_retrieve' })
  retrieve(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string, @Urls() urls: ApiUrls): Promise<ResourceResponse> {
    return this.resources.retrieve(user, uuid, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'marketplace_resources_create' })
  create(@CurrentUser() user: User, @Body() body: ResourceCreateDto, @Urls() urls: ApiUrls): Promise<ResourceResponse> {
    return this.resources.create(user, body, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'marketplace_resources_update' })
  update(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: ResourceCreateDto,
    @Urls() urls: ApiUrls,
  ): Promise<ResourceResponse> {
    return this.resources.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'marketplace_resources_partial_update' })
  partialUpdate(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: ResourcePatchDto,
    @Urls() urls: ApiUrls,
  ): Promise<ResourceResponse> {
    return this.resources.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'marketplace_resources_destroy' })
  destroy(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string): Promise<void> {
    return this.resources.destroy(user, uuid);
  }
}
