import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../../common/auth/auth.decorators';
import { ApiUrls } from '../../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../../common/http/pagination';
import type { User } from '../../../identity/users/user.entity';
import { StaffOnlyGuard } from '../../common/staff-only.guard';
import { DeliveriesAdminService } from './deliveries-admin.service';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto';
import { ReplayDeliveriesDto } from './dto/replay-deliveries.dto';

@UseGuards(StaffOnlyGuard)
@ApiTags('support-sync')
@Controller('api/support-sync-deliveries')
export class DeliveriesController {
  constructor(private readonly admin: DeliveriesAdminService) {}

  @Get()
  @ApiOperation({ operationId: 'support_sync_deliveries_list', summary: 'List received webhook deliveries (staff only)' })
  list(@CurrentUser() user: User, @Query() query: DeliveriesQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.admin.list(user, query, paginator, urls);
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_sync_deliveries_replay_range', summary: 'Process deliveries of a time range again (staff only)' })
  replayRange(@CurrentUser() user: User, @Body() body: ReplayDeliveriesDto) {
    return this.admin.replayRange(user, body);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_sync_deliveries_retrieve', summary: 'Show one webhook delivery (staff only)' })
  retrieve(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.admin.retrieve(user, uuid, urls);
  }

  @Post(':uuid/replay')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_sync_deliveries_replay', summary: 'Process one delivery again (staff only)' })
  replay(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.admin.replay(user, uuid, urls);
  }
}
