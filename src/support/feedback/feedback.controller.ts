import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { methodNotAllowed } from '../common/method-not-allowed';
import { FeedbackCreateDto } from './dto/feedback-create.dto';
import { FeedbackListQueryDto } from './dto/feedback-list-query.dto';
import { CreatedFeedbackDto, FeedbackDto } from './dto/feedback.dto';
import { FeedbackService } from './feedback.service';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

const FEEDBACK_DETAIL_METHODS = ['GET', 'HEAD', 'OPTIONS'];

@ApiTags('support-feedbacks')
@SupportEndpoint()
@Controller('api/support-feedbacks')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  @ApiOperation({ operationId: 'support_feedbacks_list' })
  @ApiOkResponse({ type: FeedbackDto, isArray: true })
  list(@CurrentUser() user: User, @Query() query: FeedbackListQueryDto, @Pagination() paginator: Paginator): Promise<FeedbackDto[]> {
    return this.feedback.list(user, query, paginator);
  }

  @Post()
  @Public()
  @ApiOperation({ operationId: 'support_feedbacks_create', summary: 'Submit feedback with the token of a feedback link; no login needed' })
  create(@Body() body: FeedbackCreateDto, @Urls() urls: ApiUrls): Promise<CreatedFeedbackDto> {
    return this.feedback.create(body, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_feedbacks_retrieve' })
  @ApiOkResponse({ type: FeedbackDto })
  retrieve(@CurrentUser() user: User, @Param('uuid') uuid: string): Promise<FeedbackDto> {
    return this.feedback.retrieve(user, uuid);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'support_feedbacks_update', deprecated: true, summary: 'Not allowed (405)' })
  update(): never {
    throw methodNotAllowed('PUT', FEEDBACK_DETAIL_METHODS);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'support_feedbacks_partial_update', deprecated: true, summary: 'Not allowed (405)' })
  partialUpdate(): never {
    throw methodNotAllowed('PATCH', FEEDBACK_DETAIL_METHODS);
  }

  @Delete(':uuid')
  @ApiOperation({ operationId: 'support_feedbacks_destroy', deprecated: true, summary: 'Not allowed (405)' })
  remove(): never {
    throw methodNotAllowed('DELETE', FEEDBACK_DETAIL_METHODS);
  }
}
