import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { StaffOnlyGuard } from '../common/staff-only.guard';
import { RequestTypeAdminListQueryDto } from './dto/request-type-list-query.dto';
import { RequestTypeOrderDto, RequestTypePatchDto, RequestTypeWriteDto } from './dto/request-type-write.dto';
import { RequestTypeAdminDto } from './dto/request-type.dto';
import { ReorderBodyPipe } from './reorder-body.pipe';
import { RequestTypesService } from './request-types.service';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

@ApiTags('support-request-types-admin')
@SupportEndpoint()
@Controller('api/support-request-types-admin')
@UseGuards(StaffOnlyGuard)
export class RequestTypesAdminController {
  constructor(private readonly requestTypes: RequestTypesService) {}

  @Get()
  @ApiOperation({ operationId: 'support_request_types_admin_list' })
  @ApiOkResponse({ type: RequestTypeAdminDto, isArray: true })
  list(@CurrentUser() user: User, @Query() query: RequestTypeAdminListQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.requestTypes.list(user, query, paginator, urls);
  }

  @Post()
  @ApiOperation({ operationId: 'support_request_types_admin_create' })
  create(@CurrentUser() user: User, @Body() body: RequestTypeWriteDto, @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto> {
    return this.requestTypes.create(user, body, urls);
  }

  @Post('reorder')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_request_types_admin_reorder', summary: 'Set the order of several request types; the body is [{"uuid", "order"}]' })
  @ApiBody({ type: RequestTypeOrderDto, isArray: true })
  @ApiOkResponse({ type: RequestTypeAdminDto, isArray: true })
  reorder(@CurrentUser() user: User, @Body(ReorderBodyPipe) items: RequestTypeOrderDto[], @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto[]> {
    return this.requestTypes.reorder(user, items, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_request_types_admin_retrieve' })
  @ApiOkResponse({ type: RequestTypeAdminDto })
  retrieve(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto> {
    return this.requestTypes.retrieve(user, uuid, urls);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'support_request_types_admin_update' })
  update(@CurrentUser() user: User, @Param('uuid') uuid: string, @Body() body: RequestTypeWriteDto, @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto> {
    return this.requestTypes.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'support_request_types_admin_partial_update' })
  partialUpdate(@CurrentUser() user: User, @Param('uuid') uuid: string, @Body() body: RequestTypePatchDto, @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto> {
    return this.requestTypes.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_request_types_admin_destroy' })
  remove(@CurrentUser() user: User, @Param('uuid') uuid: string): Promise<void> {
    return this.requestTypes.remove(user, uuid);
  }

  @Post(':uuid/activate')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_request_types_admin_activate', summary: 'Offer the request type when creating issues (no body)' })
  activate(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto> {
    return this.requestTypes.setActive(user, uuid, true, urls);
  }

  @Post(':uuid/deactivate')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_request_types_admin_deactivate', summary: 'Stop offering the request type when creating issues (no body)' })
  deactivate(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls): Promise<RequestTypeAdminDto> {
    return this.requestTypes.setActive(user, uuid, false, urls);
  }
}
