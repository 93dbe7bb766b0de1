import { Body, Controller, Delete, Get, Head, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { IssueStatusCreateDto, IssueStatusPatchDto } from './dto/issue-status.dto';
import { IssueStatusesService, IssueStatusResponse } from './issue-statuses.service';

@ApiTags('support-issue-statuses')
@SupportEndpoint()
@Controller('api/support-issue-statuses')
export class IssueStatusesController {
  constructor(private readonly statuses: IssueStatusesService) {}

  @Head()
  @ApiOperation({ operationId: 'support_issue_statuses_count' })
  count(@Pagination() paginator: Paginator, @Urls() urls: ApiUrls): Promise<IssueStatusResponse[]> {
    return this.statuses.list(paginator, urls);
  }

  @Get()
  @ApiOperation({ operationId: 'support_issue_statuses_list' })
  list(@Pagination() paginator: Paginator, @Urls() urls: ApiUrls): Promise<IssueStatusResponse[]> {
    return this.statuses.list(paginator, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_issue_statuses_retrieve' })
  retrieve(@Param('uuid', UuidPathPipe) uuid: string, @Urls() urls: ApiUrls): Promise<IssueStatusResponse> {
    return this.statuses.retrieve(uuid, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'support_issue_statuses_create' })
  create(@CurrentUser() user: User, @Body() body: IssueStatusCreateDto, @Urls() urls: ApiUrls): Promise<IssueStatusResponse> {
    return this.statuses.create(user, body, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'support_issue_statuses_update' })
  update(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: IssueStatusCreateDto,
    @Urls() urls: ApiUrls,
  ): Promise<IssueStatusResponse> {
    return this.statuses.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'support_issue_statuses_partial_update' })
  partialUpdate(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: IssueStatusPatchDto,
    @Urls() urls: ApiUrls,
  ): Promise<IssueStatusResponse> {
    return this.statuses.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_issue_statuses_destroy' })
  destroy(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string): Promise<void> {
    return this.statuses.destroy(user, uuid);
  }
}
