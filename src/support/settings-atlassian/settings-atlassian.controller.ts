import { All, Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { Pagination, Paginator } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { SupportEndpoint } from '../common/support-endpoint.decorator';
import { AtlassianDiscoveryService } from './atlassian-discovery.service';
import { AtlassianSettingsPreview, AtlassianSettingsSaved, AtlassianSettingsService } from './atlassian-settings.service';
import { AtlassianCredentialsDto, DiscoverCustomFieldsDto, DiscoverRequestTypesDto } from './dto/atlassian-credentials.dto';
import type {
  AtlassianCredentialsCheck,
  AtlassianCustomFieldResponse,
  AtlassianPriorityResponse,
  AtlassianProjectResponse,
  AtlassianRequestTypeResponse,
} from './dto/atlassian-discovery.dto';
import { AtlassianSettingsPreviewDto, AtlassianSettingsSaveDto } from './dto/atlassian-settings.dto';
import { SettingsAtlassianMethodsService } from './settings-atlassian-methods.service';

/** `/api/support/settings/atlassian/`: Jira settings discovery, preview and save, staff only. */
@ApiTags('support')
@SupportEndpoint()
@Controller('api/support/settings/atlassian')
export class SettingsAtlassianController {
  constructor(
    private readonly discovery: AtlassianDiscoveryService,
    private readonly atlassianSettings: AtlassianSettingsService,
    private readonly methods: SettingsAtlassianMethodsService,
  ) {}

  @Get('current_settings')
  @ApiOperation({ operationId: 'support_settings_atlassian_current_settings_retrieve', summary: 'Get current Atlassian settings (masked secrets).' })
  currentSettings(@CurrentUser() user: User): Promise<Record<string, unknown>> {
    return this.atlassianSettings.currentSettings(user);
  }

  @Post('validate_credentials')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_validate_credentials', summary: 'Validate Atlassian credentials without saving them.' })
  validateCredentials(@CurrentUser() user: User, @Body() body: AtlassianCredentialsDto): Promise<AtlassianCredentialsCheck> {
    return this.discovery.validateCredentials(user, body);
  }

  @Post('discover_projects')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_discover_projects', summary: 'Discover available Service Desk projects.' })
  @ApiOkResponse({ description: 'Service desk projects; `id` is the Jira project id.' })
  async discoverProjects(@CurrentUser() user: User, @Body() body: AtlassianCredentialsDto, @Pagination() paginator: Paginator): Promise<AtlassianProjectResponse[]> {
    return paginator.paginateArray(await this.discovery.discoverProjects(user, body));
  }

  @Post('discover_request_types')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_discover_request_types', summary: 'Discover request types for a selected project.' })
  async discoverRequestTypes(
    @CurrentUser() user: User,
    @Body() body: DiscoverRequestTypesDto,
    @Pagination() paginator: Paginator,
  ): Promise<AtlassianRequestTypeResponse[]> {
    return paginator.paginateArray(await this.discovery.discoverRequestTypes(user, body));
  }

  @Post('discover_priorities')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_discover_priorities', summary: 'Discover available priorities.' })
  async discoverPriorities(@CurrentUser() user: User, @Body() body: AtlassianCredentialsDto, @Pagination() paginator: Paginator): Promise<AtlassianPriorityResponse[]> {
    return paginator.paginateArray(await this.discovery.discoverPriorities(user, body));
  }

  @Post('discover_custom_fields')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_discover_custom_fields', summary: 'Discover available custom fields.' })
  async discoverCustomFields(
    @CurrentUser() user: User,
    @Body() body: DiscoverCustomFieldsDto,
    @Pagination() paginator: Paginator,
  ): Promise<AtlassianCustomFieldResponse[]> {
    return paginator.paginateArray(await this.discovery.discoverCustomFields(user, body));
  }

  @Post('preview_settings')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_preview_settings', summary: 'Generate preview of settings to be saved.' })
  previewSettings(@CurrentUser() user: User, @Body() body: AtlassianSettingsPreviewDto): Promise<AtlassianSettingsPreview> {
    return this.atlassianSettings.previewSettings(user, body);
  }

  @Post('save_settings')
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_settings_atlassian_save_settings', summary: 'Save selected settings to constance.' })
  saveSettings(@CurrentUser() user: User, @Body() body: AtlassianSettingsSaveDto): Promise<AtlassianSettingsSaved> {
    return this.atlassianSettings.saveSettings(user, body);
  }

  /** Rejects the schema's generic list and create routes with 405 after the staff check, because there is no collection. */
  @Get()
  @ApiOperation({ operationId: 'support_settings_atlassian_list', summary: 'Not supported: answers 405.' })
  list(@CurrentUser() user: User, @Req() request: Request): never {
    return this.methods.reject(user, request.method);
  }

  @Post()
  @ApiOperation({ operationId: 'support_settings_atlassian_create', summary: 'Not supported: answers 405.' })
  create(@CurrentUser() user: User, @Req() request: Request): never {
    return this.methods.reject(user, request.method);
  }

  /** Rejects the schema's `/{id}/` retrieve, update, partial update and destroy with 405, because there are no objects to address. */
  @All(':id')
  @ApiOperation({ operationId: 'support_settings_atlassian_retrieve', summary: 'Not supported: answers 405.' })
  detail(@CurrentUser() user: User, @Req() request: Request): never {
    return this.methods.reject(user, request.method);
  }
}
