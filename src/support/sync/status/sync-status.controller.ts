import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../../common/auth/auth.decorators';
import { ApiUrls } from '../../../common/http/api-urls';
import { Urls } from '../../../common/http/pagination';
import type { User } from '../../../identity/users/user.entity';
import { StaffOnlyGuard } from '../../common/staff-only.guard';
import { SyncStatusViewService } from './sync-status-view.service';

@UseGuards(StaffOnlyGuard)
@ApiTags('support-sync')
@Controller('api/support-sync-status')
export class SyncStatusController {
  constructor(private readonly view: SyncStatusViewService) {}

  @Get()
  @ApiOperation({ operationId: 'support_sync_status', summary: 'Sync health per backend (staff only)' })
  status(@CurrentUser() user: User, @Urls() urls: ApiUrls) {
    return this.view.render(user, urls);
  }
}
