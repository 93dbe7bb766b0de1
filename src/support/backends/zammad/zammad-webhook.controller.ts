import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../../../common/auth/auth.decorators';
import { SupportEndpoint } from '../../common/support-endpoint.decorator';
import type { RequestWithRawBody } from '../../sync/inbox/raw-body';
import { ZammadWebhookService } from './zammad-webhook.service';
import { AcceptsAnyMediaType } from '../../../common/http/any-media-type.decorator';

@ApiTags('support-zammad-webhook')
@SupportEndpoint()
@AcceptsAnyMediaType()
@Controller('api/support-zammad-webhook')
export class ZammadWebhookController {
  constructor(private readonly webhooks: ZammadWebhookService) {}

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_zammad_webhook', summary: 'Receive a Zammad trigger webhook' })
  receive(@Req() request: RequestWithRawBody): Promise<Record<string, never>> {
    return this.webhooks.receive(request);
  }
}
