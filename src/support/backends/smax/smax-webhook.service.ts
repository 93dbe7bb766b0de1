import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { PayloadTooLargeException } from '../../../common/errors/app.exception';
import { SettingsService } from '../../../settings/settings.service';
import { InboxService } from '../../sync/inbox/inbox.service';
import { RawBodyTooLargeError, readRawBody, RequestWithRawBody } from '../../sync/inbox/raw-body';
import { headerValue } from '../../sync/inbox/webhook-headers';
import { verifySharedSecret } from '../../sync/inbox/webhook-signature';
import { SMAX_BACKEND_NAME } from './smax-request-applier';

/** Header in which the SMAX business rule sends `SMAX_WEBHOOK_SECRET`. */
export const SMAX_WEBHOOK_SECRET_HEADER = 'X-Smax-Webhook-Secret';

/**
 * Receives SMAX change notifications: checks the shared secret when `SMAX_WEBHOOK_SECRET` is
 * set (403 when it is missing or wrong) and stores the exact body in the inbox, which
 * processes it in the background.
 *
 * A notification carries only `{"id": "<Request Id>"}`, with no delivery id or version, so
 * two real changes of one Request look alike. Each notification is therefore stored under a
 * delivery id of its own, and repeats are made harmless when processing reads the Request
 * again and applies only a `LastUpdateTime` not applied before.
 */
@Injectable()
export class SmaxWebhookService {
  constructor(
    private readonly inbox: InboxService,
    private readonly settings: SettingsService,
  ) {}

  async receive(request: RequestWithRawBody): Promise<Record<string, never>> {
    const body = await this.readBody(request);
    const secret = this.settings.get('SMAX_WEBHOOK_SECRET');
    const verdict = verifySharedSecret(typeof secret === 'string' ? secret : '', headerValue(request.headers, SMAX_WEBHOOK_SECRET_HEADER));
    await this.inbox.receive(SMAX_BACKEND_NAME, body, request.headers, verdict, randomUUID(), {
      secretHeaders: [SMAX_WEBHOOK_SECRET_HEADER],
    });
    return {};
  }

  private async readBody(request: RequestWithRawBody): Promise<Buffer> {
    try {
      return await readRawBody(request);
    } catch (error) {
      if (error instanceof RawBodyTooLargeError) {
        throw new PayloadTooLargeException(`The notification body exceeds ${error.limitBytes} bytes.`);
      }
      throw error;
    }
  }
}
