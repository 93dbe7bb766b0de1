import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../../common/auth/auth.decorators';
import { ApiUrls } from '../../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../../common/http/pagination';
import type { User } from '../../../identity/users/user.entity';
import { StaffOnlyGuard } from '../../common/staff-only.guard';
import { OutboxQueryDto } from './dto/outbox-query.dto';
import { OutboxAdminService } from './outbox-admin.service';

@UseGuards(StaffOnlyGuard)
@ApiTags('support-sync')
@Controller('api/support-sync-outbox')
export class OutboxController {
  constructor(private readonly admin: OutboxAdminService) {}

  @Get()
  @ApiOperation({ operationId: 'support_sync_outbox_list', summary: 'List outbox rows (staff only)' })
  list(@CurrentUser() user: User, @Query() query: OutboxQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.admin.list(user, query, paginator, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_sync_outbox_retrieve', summary: 'Show one outbox row (staff only)' })
  retrieve(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.admin.retrieve(user, uuid, urls);
  }

  @Post(':uuid/replay')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_sync_outbox_replay', summary: 'Queue a dead or discarded row again (staff only)' })
  replay(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.admin.replay(user, uuid, urls);
  }

  @Post(':uuid/discard')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_sync_outbox_discard', summary: 'Give up on a pending or dead row (staff only)' })
  discard(@CurrentUser() user: User, @Param('uuid') uuid: string, @Urls() urls: ApiUrls) {
    return this.admin.discard(user, uuid, urls);
  }
}
