import { Injectable } from '@nestjs/common';

import { PayloadTooLargeException } from '../../../common/errors/app.exception';
import { SettingsService } from '../../../settings/settings.service';
import { InboxService } from '../../sync/inbox/inbox.service';
import { RawBodyTooLargeError, readRawBody, RequestWithRawBody } from '../../sync/inbox/raw-body';
import { headerValue } from '../../sync/inbox/webhook-headers';
import { verifyHmacSignature } from '../../sync/inbox/webhook-signature';

/**
 * Receives Zammad trigger webhooks into the inbox. With `ZAMMAD_WEBHOOK_SECRET` set, the
 * `X-Hub-Signature` (HMAC-SHA1 of the raw body) must match, or the delivery is rejected
 * with 403 and not stored. `X-Zammad-Delivery` stays the same across Zammad's retries,
 * so a repeated delivery is stored and applied once.
 */
@Injectable()
export class ZammadWebhookService {
  constructor(
    private readonly settings: SettingsService,
    private readonly inbox: InboxService,
  ) {}

  async receive(request: RequestWithRawBody): Promise<Record<string, never>> {
    let body: Buffer;
    try {
      body = await readRawBody(request);
    } catch (error) {
      if (error instanceof RawBodyTooLargeError) throw new PayloadTooLargeException(`Webhook body exceeds ${error.limitBytes} bytes.`);
      throw error;
    }
    const secret = this.settings.get('ZAMMAD_WEBHOOK_SECRET');
    const verdict = verifyHmacSignature('sha1', secret, body, headerValue(request.headers, 'x-hub-signature'));
    await this.inbox.receive('zammad', body, request.headers, verdict, headerValue(request.headers, 'x-zammad-delivery'));
    return {};
  }
}
