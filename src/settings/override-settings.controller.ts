import { Body, Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../common/auth/auth.decorators';
import type { User } from '../identity/users/user.entity';
import { overrideSettingsSchema } from './dto/override-settings.dto';
import { OverrideSettingsService, OverrideSettingsView } from './override-settings.service';

/** Form fields allowed in one post: every setting with room to spare, each at most 64 KiB. */
const FORM_LIMITS = { fields: 1_000, fieldSize: 64 * 1024 };

@ApiTags('override-settings')
@Controller('api/override-settings')
export class OverrideSettingsController {
  constructor(private readonly overrideSettings: OverrideSettingsService) {}

  @Get()
  @ApiOperation({ operationId: 'override_settings_retrieve', summary: 'Get all overridable settings (staff only)' })
  @ApiOkResponse({ schema: overrideSettingsSchema() })
  retrieve(@CurrentUser() user: User): OverrideSettingsView {
    return this.overrideSettings.retrieve(user);
  }

  /**
   * The body is a map of setting names to values rather than a DTO class, because the
   * registry validates it. Unknown keys are ignored instead of rejected.
   */
  @Post()
  @HttpCode(200)
  @UseInterceptors(NoFilesInterceptor({ limits: FORM_LIMITS }))
  @ApiOperation({ operationId: 'override_settings', summary: 'Update overridable settings (staff only)' })
  @ApiConsumes('application/json', 'multipart/form-data', 'application/x-www-form-urlencoded')
  @ApiBody({ schema: overrideSettingsSchema(), required: false })
  @ApiOkResponse({ description: 'The settings after the update, as the GET returns them.', schema: overrideSettingsSchema() })
  update(@CurrentUser() user: User, @Body() body: Record<string, unknown>): Promise<OverrideSettingsView> {
    return this.overrideSettings.update(user, body);
  }
}
