import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ConflictException, NotFoundException, ValidationFailedException } from '../../../common/errors/app.exception';
import { ApiUrls } from '../../../common/http/api-urls';
import { applyOrdering } from '../../../common/http/ordering';
import { Paginator } from '../../../common/http/pagination';
import { formatUuid, parseUuid } from '../../../common/http/uuid';
import type { User } from '../../../identity/users/user.entity';
import { assertStaff } from '../common/staff-only';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto';
import { ReplayDeliveriesDto } from './dto/replay-deliveries.dto';
import { InboxEntry } from './inbox-entry.entity';
import { InboxService } from './inbox.service';
import { InboxRepository } from './inbox.repository';
import { InboxWorker } from './inbox-worker.service';

const COLLECTION = 'support-sync-deliveries';

/** Staff views of the webhook inbox: listing deliveries and replaying them. */
@Injectable()
export class DeliveriesAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: InboxRepository,
    private readonly inbox: InboxService,
    private readonly worker: InboxWorker,
  ) {}

  async list(user: User, query: DeliveriesQueryDto, paginator: Paginator, urls: ApiUrls): Promise<Record<string, unknown>[]> {
    assertStaff(user);
    const builder = this.dataSource.getRepository(InboxEntry).createQueryBuilder('delivery');
    if (query.source) builder.andWhere('delivery.source = :source', { source: query.source });
    if (query.status) builder.andWhere('delivery.status = :status', { status: query.status });
    if (query.received_after) builder.andWhere('delivery.receivedAt >= :after', { after: new Date(query.received_after) });
    if (query.received_before) builder.andWhere('delivery.receivedAt < :before', { before: new Date(query.received_before) });
    applyOrdering(builder, query.o, { received_at: 'delivery.receivedAt', attempts: 'delivery.attempts' }, ['-received_at']);
    const rows = await paginator.paginate(builder);
    return rows.map((row) => deliveryView(row, urls));
  }

  async retrieve(user: User, rawUuid: string, urls: ApiUrls): Promise<Record<string, unknown>> {
    assertStaff(user);
    return deliveryView(await this.find(rawUuid), urls);
  }

  /** Reopens one delivery and processes it again in the background. */
  async replay(user: User, rawUuid: string, urls: ApiUrls): Promise<Record<string, unknown>> {
    assertStaff(user);
    const delivery = await this.find(rawUuid);
    const replayed = await this.repository.replay(delivery.uuid);
    if (!replayed) throw new ConflictException('The delivery is being processed right now; replay it once that has finished.');
    this.inbox.processSoon(replayed.id);
    return deliveryView(replayed, urls);
  }

  /** Reopens every delivery received in a time range (of one source, optionally); the sweeper processes them. */
  async replayRange(user: User, body: ReplayDeliveriesDto): Promise<{ replayed: number }> {
    assertStaff(user);
    const receivedAfter = new Date(body.received_after);
    const receivedBefore = new Date(body.received_before);
    if (receivedBefore.getTime() <= receivedAfter.getTime()) {
      throw ValidationFailedException.field('received_before', 'Must be later than received_after.');
    }
    const ids = await this.repository.replayRange({ source: body.source, receivedAfter, receivedBefore });
    this.worker.wake();
    return { replayed: ids.length };
  }

  private async find(rawUuid: string): Promise<InboxEntry> {
    const uuid = parseUuid(rawUuid);
    const delivery = uuid ? await this.dataSource.getRepository(InboxEntry).findOneBy({ uuid }) : null;
    if (!delivery) throw new NotFoundException();
    return delivery;
  }
}

function deliveryView(delivery: InboxEntry, urls: ApiUrls): Record<string, unknown> {
  return {
    url: urls.detail(COLLECTION, delivery.uuid),
    uuid: formatUuid(delivery.uuid),
    source: delivery.source,
    delivery_id: delivery.deliveryId,
    received_at: delivery.receivedAt,
    headers: delivery.headers,
    body: delivery.body.toString('utf8'),
    body_size: delivery.body.length,
    signature_verdict: delivery.signatureVerdict,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.nextAttemptAt,
    last_error: delivery.lastError,
    processed_at: delivery.processedAt,
    remote_object_type: delivery.remoteObjectType,
    remote_object_id: delivery.remoteObjectId,
    remote_version: delivery.remoteVersion,
  };
}
