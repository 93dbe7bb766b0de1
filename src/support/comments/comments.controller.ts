import { Body, Controller, Delete, Get, Head, HttpCode, Param, Patch, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { MethodNotAllowedException } from '../common/method-not-allowed.exception';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { UuidPathPipe } from '../common/uuid-path.pipe';
import { CommentResponse } from './comment.mapper';
import { CommentsService } from './comments.service';
import { CommentPatchDto, CommentQueryDto, CommentUpdateDto } from './dto/comment.dto';

/** Comments are created through `POST /api/support-issues/{uuid}/comment/`, so POST here is a 405. */
@ApiTags('support-comments')
@SupportEndpoint()
@Controller('api/support-comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Head()
  @ApiOperation({ operationId: 'support_comments_count' })
  count(
    @CurrentUser() user: User,
    @Query() query: CommentQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<CommentResponse[]> {
    return this.comments.list(user, query, paginator, urls);
  }

  @Get()
  @ApiOperation({ operationId: 'support_comments_list' })
  list(
    @CurrentUser() user: User,
    @Query() query: CommentQueryDto,
    @Pagination() paginator: Paginator,
    @Urls() urls: ApiUrls,
  ): Promise<CommentResponse[]> {
    return this.comments.list(user, query, paginator, urls);
  }

  @Post()
  @ApiOperation({ summary: 'Not allowed: comment through the issue action.', deprecated: true })
  create(): never {
    throw new MethodNotAllowedException('POST', ['GET', 'HEAD']);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_comments_retrieve' })
  retrieve(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string, @Urls() urls: ApiUrls): Promise<CommentResponse> {
    return this.comments.retrieve(user, uuid, urls);
  }

  @Put(':uuid')
  @UseInterceptors(NoFilesInterceptor())
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({ operationId: 'support_comments_update' })
  update(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: CommentUpdateDto,
    @Urls() urls: ApiUrls,
  ): Promise<CommentResponse> {
    return this.comments.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @UseInterceptors(NoFilesInterceptor())
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({ operationId: 'support_comments_partial_update' })
  partialUpdate(
    @CurrentUser() user: User,
    @Param('uuid', UuidPathPipe) uuid: string,
    @Body() body: CommentPatchDto,
    @Urls() urls: ApiUrls,
  ): Promise<CommentResponse> {
    return this.comments.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_comments_destroy' })
  destroy(@CurrentUser() user: User, @Param('uuid', UuidPathPipe) uuid: string): Promise<void> {
    return this.comments.destroy(user, uuid);
  }
}
