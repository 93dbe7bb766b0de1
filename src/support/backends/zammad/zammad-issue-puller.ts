import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan, Not } from 'typeorm';

import { Issue } from '../../issues/issue.entity';
import { PulledObject, PullPage, RemotePuller } from '../../sync/pull/remote-puller';
import { backendCanSync } from '../backend-sync-rule';
import { ZammadAdapterProvider } from './zammad-adapter.provider';
import { ZammadError } from './zammad.exception';

const BACKEND = 'zammad';

/** A ticket the change search returned; the puller reads it again in full to apply it. */
export interface ZammadPulledTicket extends PulledObject {
  updatedAt: Date | null;
}

/**
 * Scheduled pull of Zammad tickets, which keeps issues in step without webhooks: tickets
 * changed since the watermark are found by condition search on `updated_at` and each
 * linked issue is pulled in full. Reconciliation deletes issues whose ticket Zammad
 * reports as not found (404); tickets the token cannot see are kept.
 *
 * NOTE: deleting an article may leave the ticket's `updated_at` alone (the fake Zammad
 * does), so a deleted article is removed here only on the ticket's next change; a webhook
 * or the issue's `sync` action removes it at once.
 */
@Injectable()
export class ZammadIssuePuller extends RemotePuller<ZammadPulledTicket> {
  readonly backendName = BACKEND;
  readonly scope = 'issues';
  private readonly logger = new Logger(ZammadIssuePuller.name);

  constructor(
    private readonly adapters: ZammadAdapterProvider,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async pullChanges(since: Date | null, overlapMs: number, cursor?: string): Promise<PullPage<ZammadPulledTicket>> {
    if (!(await this.isUsable())) return { objects: [], newWatermark: null };
    const page = await this.adapters.current().changedTickets(since, overlapMs, cursor);
    return {
      objects: page.tickets.map((ticket) => ({ remoteId: ticket.backendId, updatedAt: ticket.updatedAt })),
      newWatermark: page.newWatermark,
      nextCursor: page.nextCursor,
    };
  }

  async applyObject(object: ZammadPulledTicket): Promise<'applied' | 'skipped'> {
    const issue = await this.dataSource.getRepository(Issue).findOneBy({ backendName: BACKEND, backendId: object.remoteId });
    if (!issue) return 'skipped';
    try {
      const result = await this.adapters.current().pullTicket(issue);
      const changes = Object.values(result).filter((value) => value === true || (typeof value === 'number' && value > 0));
      return changes.length > 0 ? 'applied' : 'skipped';
    } catch (error) {
      // Deleted between the search and the read; reconciliation removes the issue.
      if (error instanceof ZammadError && error.isNotFound && error.path === `/tickets/${object.remoteId}`) return 'skipped';
      throw error;
    }
  }

  /** Ids of our tickets that Zammad still has; each linked ticket is read, so the cost grows with the issues. */
  async listRemoteIds(): Promise<Iterable<string>> {
    if (!(await this.isUsable())) return [];
    const issues = await this.dataSource.getRepository(Issue).find({
      select: { backendId: true },
      where: { backendName: BACKEND, backendId: Not(IsNull()) },
    });
    return this.adapters.current().existingTicketIds(issues.map((issue) => issue.backendId!));
  }

  async listLocalIds(createdBefore: Date): Promise<Iterable<string>> {
    const issues = await this.dataSource.getRepository(Issue).find({
      select: { backendId: true },
      where: { backendName: BACKEND, backendId: Not(IsNull()), created: LessThan(createdBefore) },
    });
    return issues.map((issue) => issue.backendId!);
  }

  /** Deletes the issues of deleted tickets with their comments and attachments, and reports each one. */
  async reconcileGone(remoteIds: string[]): Promise<void> {
    const backend = this.adapters.current();
    const storageKeys = await this.dataSource.transaction(async (manager) => {
      const issues = await manager.findBy(Issue, { backendName: BACKEND, backendId: In(remoteIds) });
      return backend.deleteIssuesOfDeletedTickets(manager, issues);
    });
    await backend.discardStoredFiles(storageKeys);
  }

  private isUsable(): Promise<boolean> {
    return backendCanSync(this.dataSource, { name: BACKEND, title: 'Zammad', missingSettings: this.adapters.missingSettings() });
  }
}
