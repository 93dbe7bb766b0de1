import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan, Not } from 'typeorm';

import { SyncState } from '../../common/sync-state';
import { Issue } from '../../issues/issue.entity';
import { PulledObject, PullPage, RemotePuller } from '../../sync/pull/remote-puller';
import { backendCanSync } from '../backend-sync-rule';
import { SmaxAdapterProvider } from './smax-adapter.provider';
import { withRemoteErrors } from './smax-remote-error';
import { SMAX_BACKEND_NAME, SmaxRequestApplier } from './smax-request-applier';
import { SmaxRequestSnapshot } from './smax.mapper';

/** Requests read per page; SMAX's default page size. */
const PAGE_SIZE = 100;

/** Clock difference allowed between us and SMAX when a first pull starts from our own creation times. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface PulledRequest extends PulledObject {
  request: SmaxRequestSnapshot;
}

/** Start of the next page: the Requests changed at or after `since`, less the first `skip` of them. */
export interface PagePosition {
  since: Date;
  skip: number;
}

/**
 * Pulls SMAX Requests changed since the watermark and applies each through
 * `SmaxRequestApplier`, the path webhooks take. A first pull starts at the creation of our
 * oldest SMAX issue, since older Requests cannot be ours. Pages continue from the last
 * `LastUpdateTime` seen, so a Request that changes during the pull does not shift the
 * Requests after it out of view.
 *
 * Reconciliation queries which of our linked Requests SMAX still shows. SMAX Requests are
 * closed, not deleted, so a missing one means it was deleted by an administrator or the
 * integration user lost sight of it. The issue is marked ERRED and logged, never deleted:
 * its comments and attachments are kept, and staff decide what to do with it.
 * SMAX issues are pulled whichever backend is active, as long as the SMAX settings are complete.
 */
@Injectable()
export class SmaxIssuePuller extends RemotePuller<PulledRequest> {
  readonly backendName = SMAX_BACKEND_NAME;
  readonly scope = 'issues';
  private readonly logger = new Logger(SmaxIssuePuller.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly applier: SmaxRequestApplier,
    private readonly adapters: SmaxAdapterProvider,
  ) {
    super();
  }

  async pullChanges(since: Date | null, overlapMs: number, cursor?: string): Promise<PullPage<PulledRequest>> {
    if (!(await this.isUsable())) return { objects: [], newWatermark: null };
    const backend = this.adapters.current();
    const position = cursor ? parseCursor(cursor) : await this.firstPosition(since, overlapMs);
    if (!position) return { objects: [], newWatermark: null };

    const page = await withRemoteErrors(() => backend.listChangedRequests(position.since, position.skip, PAGE_SIZE));
    const next = page.nextSkip === undefined ? undefined : nextPosition(position, page.requests, page.nextSkip);
    return {
      objects: page.requests.map((request) => ({ remoteId: request.id, request })),
      newWatermark: latestUpdate(page.requests),
      nextCursor: next ? formatCursor(next) : undefined,
    };
  }

  async applyObject(object: PulledRequest): Promise<'applied' | 'skipped'> {
    const backend = this.adapters.current();
    const outcome = await withRemoteErrors(() => this.applier.apply(backend, object.request));
    return outcome.status === 'applied' ? 'applied' : 'skipped';
  }

  async listRemoteIds(): Promise<Iterable<string>> {
    if (!(await this.isUsable())) return [];
    const backend = this.adapters.current();
    const local = await this.linkedRequestIds();
    return withRemoteErrors(() => backend.listExistingRequestIds(local));
  }

  async listLocalIds(createdBefore: Date): Promise<Iterable<string>> {
    return this.linkedRequestIds(createdBefore);
  }

  async reconcileGone(remoteIds: string[]): Promise<void> {
    const issues = await this.dataSource.getRepository(Issue).find({
      select: { id: true, uuid: true, backendId: true },
      where: { backendName: SMAX_BACKEND_NAME, backendId: In(remoteIds), state: Not(SyncState.ERRED) },
    });
    if (issues.length === 0) return;
    await this.dataSource.getRepository(Issue).update({ id: In(issues.map((issue) => issue.id)) }, { state: SyncState.ERRED });
    const listed = issues.map((issue) => `${issue.uuid} (Request ${issue.backendId})`).join(', ');
    this.logger.warn(`Marked ${issues.length} issues ERRED because SMAX no longer shows their Requests: ${listed}`);
  }

  private isUsable(): Promise<boolean> {
    return backendCanSync(this.dataSource, { name: SMAX_BACKEND_NAME, title: 'SMAX', missingSettings: this.adapters.missingSettings() });
  }

  /** Starts at the watermark less the overlap; a first pull starts at our oldest SMAX issue, or not at all without one. */
  private async firstPosition(since: Date | null, overlapMs: number): Promise<PagePosition | undefined> {
    if (since) return { since: new Date(Math.max(0, since.getTime() - overlapMs)), skip: 0 };
    const oldest = await this.dataSource.getRepository(Issue).findOne({
      select: { id: true, created: true },
      where: { backendName: SMAX_BACKEND_NAME },
      order: { created: 'ASC' },
    });
    if (!oldest) return undefined;
    return { since: new Date(Math.max(0, oldest.created.getTime() - CLOCK_SKEW_MS)), skip: 0 };
  }

  private async linkedRequestIds(createdBefore?: Date): Promise<string[]> {
    const rows = await this.dataSource.getRepository(Issue).find({
      select: { id: true, backendId: true },
      where: { backendName: SMAX_BACKEND_NAME, backendId: Not(IsNull()), ...(createdBefore ? { created: LessThan(createdBefore) } : {}) },
    });
    return rows.map((row) => row.backendId as string);
  }
}

/**
 * Continues after the last Request of a page: from its `LastUpdateTime`, skipping the
 * Requests of that same time already read. Without times the plain offset is used.
 */
export function nextPosition(position: PagePosition, requests: SmaxRequestSnapshot[], nextSkip: number): PagePosition {
  const last = requests.at(-1)?.version;
  if (last === undefined) return { since: position.since, skip: nextSkip };
  const sameTime = requests.filter((request) => request.version === last).length;
  const carried = last === position.since.getTime() ? position.skip : 0;
  return { since: new Date(last), skip: carried + sameTime };
}

function latestUpdate(requests: SmaxRequestSnapshot[]): Date | null {
  const times = requests.map((request) => request.version).filter((time): time is number => time !== undefined);
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

function formatCursor(position: PagePosition): string {
  return `${position.since.getTime()}:${position.skip}`;
}

function parseCursor(cursor: string): PagePosition {
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new Error(`Invalid SMAX pull cursor "${cursor}"`);
  return { since: new Date(Number(match[1])), skip: Number(match[2]) };
}
