import { Injectable } from '@nestjs/common';

import { PayloadTooLargeException } from '../../../common/errors/app.exception';
import { SettingsService } from '../../../settings/settings.service';
import { JIRA_WEBHOOK_SOURCE } from './atlassian-inbox-processor';
import { InboxService } from '../../sync/inbox/inbox.service';
import { RawBodyTooLargeError, readRawBody, RequestWithRawBody } from '../../sync/inbox/raw-body';
import { headerValue } from '../../sync/inbox/webhook-headers';
import { verifyHmacSignature } from '../../sync/inbox/webhook-signature';

/**
 * Receives Jira webhook deliveries: checks `X-Hub-Signature` (HMAC-SHA256 of the raw
 * body) when `ATLASSIAN_WEBHOOK_SECRET` is set, and stores the exact bytes in the inbox
 * under `X-Atlassian-Webhook-Identifier`, so a retried delivery is stored once. The body
 * is read later by the Jira processor; nothing here depends on its shape, because real
 * deliveries leave out parts of it.
 */
@Injectable()
export class JiraWebhookService {
  constructor(
    private readonly settings: SettingsService,
    private readonly inbox: InboxService,
  ) {}

  async receive(request: RequestWithRawBody): Promise<Record<string, never>> {
    let body: Buffer;
    try {
      body = await readRawBody(request);
    } catch (error) {
      if (error instanceof RawBodyTooLargeError) throw new PayloadTooLargeException(`The webhook body exceeds ${error.limitBytes} bytes.`);
      throw error;
    }
    const verdict = verifyHmacSignature('sha256', this.settings.get('ATLASSIAN_WEBHOOK_SECRET'), body, headerValue(request.headers, 'x-hub-signature'));
    const deliveryId = headerValue(request.headers, 'x-atlassian-webhook-identifier');
    await this.inbox.receive(JIRA_WEBHOOK_SOURCE, body, request.headers, verdict, deliveryId);
    return {};
  }
}
