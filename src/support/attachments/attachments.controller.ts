import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { CurrentUser } from '../../common/auth/auth.decorators';
import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import type { User } from '../../identity/users/user.entity';
import { toStreamableFile } from '../../storage/downloads/stored-file-download';
import { StoredUploads } from '../../storage/uploads/stored-uploads.decorator';
import { StoredUpload } from '../../storage/uploads/stored-upload';
import { methodNotAllowed } from '../common/method-not-allowed';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsService } from './attachments.service';
import { AttachmentCreateDto, AttachmentCreateMultipartDto } from './dto/attachment-create.dto';
import { AttachmentFieldQueryDto, AttachmentListQueryDto } from './dto/attachment-list-query.dto';
import { AttachmentDto } from './dto/attachment.dto';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

const ATTACHMENT_DETAIL_METHODS = ['GET', 'DELETE', 'HEAD', 'OPTIONS'];

@ApiTags('support-attachments')
@SupportEndpoint()
@Controller('api/support-attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get()
  @ApiOperation({ operationId: 'support_attachments_list' })
  @ApiOkResponse({ type: AttachmentDto, isArray: true })
  list(@CurrentUser() user: User, @Query() query: AttachmentListQueryDto, @Pagination() paginator: Paginator, @Urls() urls: ApiUrls) {
    return this.attachments.list(user, query, paginator, urls);
  }

  @Post()
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiOperation({ operationId: 'support_attachments_create', summary: 'Upload a file to an issue (multipart/form-data)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AttachmentCreateMultipartDto })
  create(@CurrentUser() user: User, @Body() body: AttachmentCreateDto, @StoredUploads() uploads: StoredUpload[], @Urls() urls: ApiUrls): Promise<AttachmentDto> {
    return this.attachments.create(user, body, uploads[0], urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_attachments_retrieve' })
  @ApiOkResponse({ type: AttachmentDto })
  retrieve(@CurrentUser() user: User, @Param('uuid') uuid: string, @Query() query: AttachmentFieldQueryDto, @Urls() urls: ApiUrls) {
    return this.attachments.retrieve(user, uuid, query, urls);
  }

  @Get(':uuid/download')
  @ApiOperation({ operationId: 'support_attachments_download', summary: 'The bytes of the attachment, with the caller\'s Token' })
  async download(@CurrentUser() user: User, @Param('uuid') uuid: string): Promise<StreamableFile> {
    return toStreamableFile(await this.attachments.openDownload(user, uuid));
  }

  @Delete(':uuid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'support_attachments_destroy' })
  remove(@CurrentUser() user: User, @Param('uuid') uuid: string): Promise<void> {
    return this.attachments.remove(user, uuid);
  }

  @Put(':uuid')
  @ApiOperation({ operationId: 'support_attachments_update', deprecated: true, summary: 'Not allowed (405)' })
  update(): never {
    throw methodNotAllowed('PUT', ATTACHMENT_DETAIL_METHODS);
  }

  @Patch(':uuid')
  @ApiOperation({ operationId: 'support_attachments_partial_update', deprecated: true, summary: 'Not allowed (405)' })
  partialUpdate(): never {
    throw methodNotAllowed('PATCH', ATTACHMENT_DETAIL_METHODS);
  }
}
