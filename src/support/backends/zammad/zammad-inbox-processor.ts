import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { stripNullCharacters } from '../../common/null-characters';
import { Issue } from '../../issues/issue.entity';
import { remoteChange, runWithChangeContext } from '../../sync/common/change-origin';
import { RemoteError } from '../../sync/common/remote-error';
import { InboxDelivery, InboxOutcome, InboxProcessor, parseJsonBody } from '../../sync/inbox/inbox-processor';
import { ZammadAdapterProvider } from './zammad-adapter.provider';
import { toRemoteError } from './zammad-remote-error';
import { ZammadError } from './zammad.exception';
import { mapWebhookPayload, ZammadPayloadError, ZammadWebhookChange } from './zammad.mapper';

const SOURCE = 'zammad';

/**
 * Applies Zammad trigger webhooks. Only the ticket id is taken from the body. The ticket
 * and its articles are read again from the API, because a delivery retried minutes later
 * carries the snapshot of its first attempt. Applying the current state is idempotent, so
 * a repeated or late delivery changes nothing and no version check is needed. Our own
 * articles come back marked and are skipped.
 */
@Injectable()
export class ZammadInboxProcessor extends InboxProcessor {
  readonly source = SOURCE;
  private readonly logger = new Logger(ZammadInboxProcessor.name);

  constructor(
    private readonly adapters: ZammadAdapterProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async process(delivery: InboxDelivery): Promise<InboxOutcome> {
    let change: ZammadWebhookChange;
    try {
      change = mapWebhookPayload(stripNullCharacters(parseJsonBody(delivery)));
    } catch (error) {
      if (error instanceof SyntaxError || error instanceof ZammadPayloadError) {
        return { status: 'ignored', reason: `Not a Zammad trigger payload: ${error.message}` };
      }
      throw error;
    }
    const remoteObject = { type: 'ticket', id: change.ticketId, ...(change.ticketUpdatedAt ? { version: change.ticketUpdatedAt } : {}) };

    const issue = await this.dataSource.getRepository(Issue).findOneBy({ backendName: SOURCE, backendId: change.ticketId });
    if (!issue) return { status: 'ignored', reason: `No issue is linked to Zammad ticket ${change.ticketId}.`, remoteObject };
    if (!this.adapters.isConfigured()) {
      throw new RemoteError('Zammad is not configured: set ZAMMAD_API_URL and ZAMMAD_TOKEN.', { retryable: true });
    }

    try {
      const result = await runWithChangeContext(remoteChange(SOURCE), () => this.adapters.current().pullTicket(issue));
      this.logger.log(
        `Zammad delivery ${delivery.deliveryId} pulled ticket ${change.ticketId}: ${result.commentsCreated} comments and ` +
          `${result.attachmentsCreated} attachments added, ${result.commentsDeleted + result.attachmentsDeleted} removed`,
      );
      return { status: 'processed', remoteObject };
    } catch (error) {
      if (error instanceof ZammadError && error.isNotFound && error.path === `/tickets/${change.ticketId}`) {
        return { status: 'ignored', reason: `Zammad ticket ${change.ticketId} no longer exists.`, remoteObject };
      }
      throw toRemoteError(error);
    }
  }
}
