import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../../../common/auth/auth.decorators';
import { SupportEndpoint } from '../../common/support-endpoint.decorator';
import type { RequestWithRawBody } from '../../sync/inbox/raw-body';
import { SmaxWebhookService } from './smax-webhook.service';
import { AcceptsAnyMediaType } from '../../../common/http/any-media-type.decorator';

@ApiTags('support-smax-webhook')
@SupportEndpoint()
@AcceptsAnyMediaType()
@Controller('api/support-smax-webhook')
export class SmaxWebhookController {
  constructor(private readonly webhook: SmaxWebhookService) {}

  @Post()
  @Public('no-auth')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'support_smax_webhook',
    summary: 'Receive a SMAX change notification',
    description:
      'Stores the notification and answers at once; the Request it names is read from SMAX and applied in the background. ' +
      'When SMAX_WEBHOOK_SECRET is set, the X-Smax-Webhook-Secret header must carry it.',
  })
  @ApiBody({ schema: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] } })
  @ApiOkResponse({ schema: { type: 'object' } })
  receive(@Req() request: RequestWithRawBody): Promise<Record<string, never>> {
    return this.webhook.receive(request);
  }
}
