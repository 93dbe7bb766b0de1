import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { CurrentUser, Public } from '../../common/auth/auth.decorators';
import type { User } from '../../identity/users/user.entity';
import { toStreamableFile } from '../../storage/downloads/stored-file-download';
import { TemplatesService } from './templates.service';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

@ApiTags('support-templates')
@SupportEndpoint()
@Controller('api/support-template-attachments')
export class TemplateAttachmentsController {
  constructor(private readonly templates: TemplatesService) {}

  @Get(':uuid/download')
  @Public()
  @ApiOperation({ operationId: 'support_template_attachments_download', summary: 'The bytes of a template attachment, with a Token or a signed link' })
  @ApiQuery({ name: 'signature', required: false })
  async download(@CurrentUser({ optional: true }) user: User | null, @Param('uuid') uuid: string, @Query('signature') signature: unknown): Promise<StreamableFile> {
    return toStreamableFile(await this.templates.openAttachmentDownload(user, uuid, signature));
  }
}
