import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ConflictException, NotFoundException } from '../../../common/errors/app.exception';
import { ApiUrls } from '../../../common/http/api-urls';
import { applyOrdering } from '../../../common/http/ordering';
import { Paginator } from '../../../common/http/pagination';
import { formatUuid, parseUuid } from '../../../common/http/uuid';
import type { User } from '../../../identity/users/user.entity';
import { assertStaff } from '../common/staff-only';
import { OutboxQueryDto } from './dto/outbox-query.dto';
import { OutboxEntry } from './outbox-entry.entity';
import { OutboxWorker } from './outbox-worker.service';
import { OutboxRepository } from './outbox.repository';

const COLLECTION = 'support-sync-outbox';

/** Staff views of the outbox: listing rows, replaying dead ones and discarding stuck ones. */
@Injectable()
export class OutboxAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: OutboxRepository,
    private readonly worker: OutboxWorker,
  ) {}

  async list(user: User, query: OutboxQueryDto, paginator: Paginator, urls: ApiUrls): Promise<Record<string, unknown>[]> {
    assertStaff(user);
    const builder = this.dataSource.getRepository(OutboxEntry).createQueryBuilder('row');
    if (query.backend) builder.andWhere('row.backendName = :backend', { backend: query.backend });
    if (query.status) builder.andWhere('row.status = :status', { status: query.status });
    if (query.issue_uuid) {
      const issueUuid = parseUuid(query.issue_uuid);
      // An issue UUID that cannot exist matches nothing, as an unknown one would.
      if (!issueUuid) return paginator.paginateArray([]);
      builder.andWhere('row.issueUuid = :issueUuid', { issueUuid });
    }
    applyOrdering(
      builder,
      query.o,
      { created: 'row.created', modified: 'row.modified', next_attempt_at: 'row.nextAttemptAt', attempts: 'row.attempts' },
      ['-created'],
    );
    const rows = await paginator.paginate(builder);
    return rows.map((row) => outboxView(row, urls));
  }

  async retrieve(user: User, rawUuid: string, urls: ApiUrls): Promise<Record<string, unknown>> {
    assertStaff(user);
    return outboxView(await this.find(rawUuid), urls);
  }

  /** Puts a dead or discarded row back in the queue with its attempts reset; 409 for other states. */
  async replay(user: User, rawUuid: string, urls: ApiUrls): Promise<Record<string, unknown>> {
    assertStaff(user);
    const row = await this.find(rawUuid);
    const replayed = await this.repository.replay(row.uuid);
    if (!replayed) throw new ConflictException(`Only dead or discarded outbox rows can be replayed; this row is ${row.status}.`);
    this.worker.wake();
    return outboxView(replayed, urls);
  }

  /** Gives up on a pending or dead row, releasing later rows of its issue; 409 for other states. */
  async discard(user: User, rawUuid: string, urls: ApiUrls): Promise<Record<string, unknown>> {
    assertStaff(user);
    const row = await this.find(rawUuid);
    const discarded = await this.repository.discard(row.uuid);
    if (!discarded) throw new ConflictException(`Only pending or dead outbox rows can be discarded; this row is ${row.status}.`);
    this.worker.wake();
    return outboxView(discarded, urls);
  }

  private async find(rawUuid: string): Promise<OutboxEntry> {
    const uuid = parseUuid(rawUuid);
    const row = uuid ? await this.repository.findByUuid(uuid) : null;
    if (!row) throw new NotFoundException();
    return row;
  }
}

function outboxView(row: OutboxEntry, urls: ApiUrls): Record<string, unknown> {
  return {
    url: urls.detail(COLLECTION, row.uuid),
    uuid: formatUuid(row.uuid),
    backend_name: row.backendName,
    issue: urls.optionalDetail('support-issues', row.issueUuid),
    issue_uuid: row.issueUuid ? formatUuid(row.issueUuid) : null,
    operation: row.operation,
    target_type: row.targetType,
    target_uuid: row.targetUuid ? formatUuid(row.targetUuid) : null,
    payload: row.payload,
    idempotency_key: row.idempotencyKey,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt,
    last_error: row.lastError,
    claimed_by: row.claimedBy,
    claimed_until: row.claimedUntil,
    remote_id: row.remoteId,
    created: row.created,
    modified: row.modified,
    delivered_at: row.deliveredAt,
  };
}
