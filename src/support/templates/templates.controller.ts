import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { StoredUpload } from '../../storage/uploads/stored-upload';
import { StoredUploads } from '../../storage/uploads/stored-uploads.decorator';
import { StaffOnlyGuard } from '../common/staff-only.guard';
import { TemplateAttachmentsDeleteDto, TemplateAttachmentsUploadDto } from './dto/template-attachments.dto';
import { TemplateDto } from './dto/template.dto';
import { TemplatePatchDto, TemplateWriteDto } from './dto/template-write.dto';
import { TemplateUploadInterceptor } from './template-upload.interceptor';
import { TemplatesService } from './templates.service';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

@ApiTags('support-templates')
@SupportEndpoint()
@Controller('api/support-templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({ operationId: 'support_templates_list' })
  @ApiOkResponse({ type: TemplateDto, isArray: true })
  list(@Pagination() paginator: Paginator, @Urls() urls: ApiUrls): Promise<TemplateDto[]> {
    return this.templates.list(paginator, urls);
  }

  @Post()
  @UseGuards(StaffOnlyGuard)
  @ApiOperation({ operationId: 'support_templates_create' })
  create(@CurrentUser() user: User, @Body() body: TemplateWriteDto, @Urls() urls: ApiUrls): Promise<TemplateDto> {
    return this.templates.create(user, body, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_templates_retrieve' })
  @ApiOkResponse({ type: TemplateDto })
  retrieve(@Param('uuid') uuid: string, @Urls() urls: ApiUrls): Promise<TemplateDto> {
    return this.templates.retrieve(uuid, urls);
  }

  @Put(':uuid')
  @UseGuards(StaffOnlyGuard)
  @ApiOperation({ operationId: 'support_templates_update' })
  update(@CurrentUser() user: User, @Param('uuid') uuid: string, @Body() body: TemplateWriteDto, @Urls() urls: ApiUrls): Promise<TemplateDto> {
    return this.templates.update(user, uuid, body, urls);
  }

  @Patch(':uuid')
  @UseGuards(StaffOnlyGuard)
  @ApiOperation({ operationId: 'support_templates_partial_update' })
  partialUpdate(@CurrentUser() user: User, @Param('uuid') uuid: string, @Body() body: TemplatePatchDto, @Urls() urls: ApiUrls): Promise<TemplateDto> {
    return this.templates.update(user, uuid, body, urls);
  }

  @Delete(':uuid')
  @UseGuards(StaffOnlyGuard)
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_templates_destroy' })
  remove(@CurrentUser() user: User, @Param('uuid') uuid: string): Promise<void> {
    return this.templates.remove(user, uuid);
  }

  @Post(':uuid/create_attachments')
  @UseGuards(StaffOnlyGuard)
  @UseInterceptors(TemplateUploadInterceptor)
  @ApiOperation({ operationId: 'support_templates_create_attachments', summary: 'Attach files to the template (multipart/form-data, field "attachments")' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: TemplateAttachmentsUploadDto })
  createAttachments(
    @CurrentUser() user: User,
    @Param('uuid') uuid: string,
    @StoredUploads() uploads: StoredUpload[],
    @Urls() urls: ApiUrls,
  ): Promise<TemplateDto> {
    return this.templates.addAttachments(user, uuid, uploads, urls);
  }

  @Post(':uuid/delete_attachments')
  @UseGuards(StaffOnlyGuard)
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_templates_delete_attachments' })
  deleteAttachments(
    @CurrentUser() user: User,
    @Param('uuid') uuid: string,
    @Body() body: TemplateAttachmentsDeleteDto,
    @Urls() urls: ApiUrls,
  ): Promise<TemplateDto> {
    return this.templates.deleteAttachments(user, uuid, body, urls);
  }
}
