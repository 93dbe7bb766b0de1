import { Body, Controller, Delete, Get, Head, HttpCode, Param, Patch, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { CommentResponse } from '../comments/comment.mapper';
import { CommentCreateDto } from '../comments/dto/comment.dto';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { IssueCreateDto } from './dto/issue-create.dto';
import { IssueQueryDto } from './dto/issue-query.dto';
import { IssuePatchDto, IssueUpdateDto } from './dto/issue-update.dto';
import { IssueCommentsService } from './issue-comments.service';
import { IssueCreationService } from './issue-creation.service';
import { IssueUpdateService } from './issue-update.service';
import { IssueResponse } from './issue.mapper';
import { IssuesService } from './issues.service';

@ApiTags('support-issues')
@SupportEndpoint()
@Controller('api/support-issues')
export class IssuesController {
  constructor(
    private readonly issues: IssuesService,
    private readonly creation: IssueCreationService,
    private readonly updates: IssueUpdateService,
    private readonly comments: IssueCommentsService,
  ) {}

  @Head()
  @ApiOperation({ operationId: 'support_issues_count' })
  count(
    @CurrentUser() user: User,
    @Query() query: IssueQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<IssueResponse[]> {
    return this.issues.list(user, query, paginator, urls);
  }

  @Get()
  @ApiOperation({ operationId: 'support_issues_list' })
  list(
    @CurrentUser() user: User,
    @Query() query: IssueQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<IssueResponse[]> {
    return this.issues.list(user, query, paginator, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'support_issues_create' })
  create(@CurrentUser() user: User, @Body() body: IssueCreateDto, @Urls() urls: ApiUrls): Promise<IssueResponse> {
    return this.creation.create(user, body, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_issues_retrieve' })
  retrieve(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string, @Urls() urls: ApiUrls): Promise<IssueResponse> {
    return this.issues.retrieve(user, uuid, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'support_issues_update' })
  update(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: IssueUpdateDto,
    @Urls() urls: ApiUrls,
  ): Promise<IssueResponse> {
    return this.updates.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'support_issues_partial_update' })
  partialUpdate(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: IssuePatchDto,
    @Urls() urls: ApiUrls,
  ): Promise<IssueResponse> {
    return this.updates.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_issues_destroy' })
  destroy(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string): Promise<void> {
    return this.issues.destroy(user, uuid);
  }

  @Post(':uuid/comment')
  @UseInterceptors(NoFilesInterceptor())
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({ operationId: 'support_issues_comment' })
  comment(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: CommentCreateDto,
    @Urls() urls: ApiUrls,
  ): Promise<CommentResponse> {
    return this.comments.create(user, uuid, body, urls);
  }

  @Post(':uuid/sync')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_issues_sync', description: 'Pulls the issue from its backend; takes no body.' })
  sync(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string): Promise<void> {
    return this.issues.sync(user, uuid);
  }
}
