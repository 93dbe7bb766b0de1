import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { BACKEND_NAMES } from '../../common/backend-name';
import { queryRows } from '../common/sql';
import { InboxProcessorRegistry } from '../inbox/inbox-processor';
import { InboxRepository } from '../inbox/inbox.repository';
import { JobRun } from '../jobs/job-run.entity';
import { CircuitBreakers, CircuitSnapshot } from '../outbox/circuit-breakers.service';
import { OutboxDelivererRegistry } from '../outbox/outbox-deliverer';
import { OutboxEntry } from '../outbox/outbox-entry.entity';
import { OutboxRepository } from '../outbox/outbox.repository';
import { RemotePullerRegistry } from '../pull/remote-puller';
import { SyncWatermark } from '../pull/sync-watermark.entity';
import { WatermarksRepository } from '../pull/watermarks.repository';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';

/** Dead rows listed per backend in the status, the most recently parked first. */
export const DEAD_ROWS_SHOWN = 10;

export interface BackendSyncStatus {
  backendName: string;
  delivererRegistered: boolean;
  processorRegistered: boolean;
  outbox: {
    pending: number;
    inProgress: number;
    dead: number;
    depth: number;
    oldestPendingAgeSeconds: number | null;
    /** At most `DEAD_ROWS_SHOWN` dead rows, each with the error that parked it. */
    deadRows: OutboxEntry[];
  };
  circuit: CircuitSnapshot;
  inbox: { pending: number; failed: number; backlog: number; oldestBacklogAgeSeconds: number | null };
  pulls: SyncWatermark[];
  lastSuccessfulPullAt: Date | null;
}

export interface SyncStatus {
  replicaId: string;
  backends: BackendSyncStatus[];
  /** The latest run of each scheduled job. */
  jobs: JobRun[];
}

/** Gathers the sync health numbers shown by the status endpoint and exported as gauges. */
@Injectable()
export class SyncStatusService {
  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly inbox: InboxRepository,
    private readonly watermarks: WatermarksRepository,
    private readonly breakers: CircuitBreakers,
    private readonly deliverers: OutboxDelivererRegistry,
    private readonly processors: InboxProcessorRegistry,
    private readonly pullers: RemotePullerRegistry,
  ) {}

  async snapshot(): Promise<SyncStatus> {
    const [depth, deadRows, backlog, watermarks, jobs] = await Promise.all([
      this.outbox.depth(),
      this.outbox.latestDead(DEAD_ROWS_SHOWN),
      this.inbox.backlog(),
      this.watermarks.list(),
      this.latestJobRuns(),
    ]);
    const now = Date.now();
    const ageSeconds = (dates: (Date | null)[]): number | null => {
      const times = dates.filter((date): date is Date => date !== null).map((date) => date.getTime());
      return times.length === 0 ? null : Math.max(0, Math.round((now - Math.min(...times)) / 1000));
    };

    const names = new Set<string>([
      ...BACKEND_NAMES,
      ...this.deliverers.names(),
      ...this.processors.names(),
      ...this.pullers.all().map((puller) => puller.backendName),
      ...this.breakers.backendNames(),
      ...depth.map((row) => row.backendName),
      ...backlog.map((row) => row.source),
      ...watermarks.map((row) => row.backendName),
    ]);

    const backends = [...names].sort().map((backendName): BackendSyncStatus => {
      const rows = depth.filter((row) => row.backendName === backendName);
      const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
      const open = rows.filter((row) => row.status === 'pending' || row.status === 'in_progress');
      const inboxRows = backlog.filter((row) => row.source === backendName);
      const inboxCount = (status: string) => inboxRows.find((row) => row.status === status)?.count ?? 0;
      const pulls = watermarks.filter((row) => row.backendName === backendName);
      const successes = pulls.map((row) => row.lastSuccessAt).filter((date): date is Date => date !== null);
      return {
        backendName,
        delivererRegistered: this.deliverers.find(backendName) !== undefined,
        processorRegistered: this.processors.find(backendName) !== undefined,
        outbox: {
          pending: count('pending'),
          inProgress: count('in_progress'),
          dead: count('dead'),
          depth: count('pending') + count('in_progress'),
          oldestPendingAgeSeconds: ageSeconds(open.map((row) => row.oldestCreated)),
          deadRows: deadRows.filter((row) => row.backendName === backendName),
        },
        circuit: this.breakers.snapshot(backendName),
        inbox: {
          pending: inboxCount('pending'),
          failed: inboxCount('failed'),
          backlog: inboxCount('pending') + inboxCount('failed'),
          oldestBacklogAgeSeconds: ageSeconds(inboxRows.map((row) => row.oldest)),
        },
        pulls,
        lastSuccessfulPullAt: successes.length === 0 ? null : new Date(Math.max(...successes.map((date) => date.getTime()))),
      };
    });

    return { replicaId: this.config.replicaId, backends, jobs };
  }

  private async latestJobRuns(): Promise<JobRun[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT DISTINCT ON (job_name) id FROM sync_job_runs ORDER BY job_name, started_at DESC, id DESC`,
    );
    if (rows.length === 0) return [];
    return this.dataSource
      .getRepository(JobRun)
      .createQueryBuilder('run')
      .where('run.id IN (:...ids)', { ids: rows.map((row) => Number(row.id)) })
      .orderBy('run.jobName', 'ASC')
      .getMany();
  }
}
