import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../../../common/auth/auth.decorators';
import { SupportEndpoint } from '../../common/support-endpoint.decorator';
import type { RequestWithRawBody } from '../../sync/inbox/raw-body';
import { JiraWebhookService } from './jira-webhook.service';

@ApiTags('support-jira-webhook')
@SupportEndpoint()
@Controller('api/support-jira-webhook')
export class JiraWebhookController {
  constructor(private readonly webhooks: JiraWebhookService) {}

  /** Jira posts without credentials; a configured secret is checked through `X-Hub-Signature` instead. */
  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'support_jira_webhook', summary: 'Receive a Jira webhook delivery' })
  @ApiBody({ description: 'A Jira webhook body, stored as sent and read later.', schema: { type: 'object' } })
  @ApiOkResponse({ description: 'Stored (or a repeat of a stored delivery).', schema: { type: 'object' } })
  receive(@Req() request: RequestWithRawBody): Promise<Record<string, never>> {
    return this.webhooks.receive(request);
  }
}
