import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { EchoGuard } from '../echo/echo-guard.service';
import { InboxRepository } from '../inbox/inbox.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { JobCounts } from './scheduled-job-runner.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes finished sync rows past their retention; dead and failed rows stay for operators. */
@Injectable()
export class SyncMaintenance {
  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    private readonly outbox: OutboxRepository,
    private readonly inbox: InboxRepository,
    private readonly echo: EchoGuard,
  ) {}

  async deleteExpired(dataSource: DataSource): Promise<JobCounts> {
    const now = Date.now();
    const outboxRows = await this.outbox.deleteFinishedBefore(new Date(now - this.config.retention.outboxDays * DAY_MS));
    const inboxRows = await this.inbox.deleteFinishedBefore(new Date(now - this.config.retention.inboxDays * DAY_MS));
    const echoRows = await this.echo.deleteExpired(dataSource);
    const [{ count }] = await dataSource.query(
      `WITH deleted AS (DELETE FROM sync_job_runs WHERE status <> 'started' AND started_at < $1 RETURNING id)
       SELECT count(*) AS count FROM deleted`,
      [new Date(now - this.config.retention.jobRunDays * DAY_MS)],
    );
    return { outboxRows, inboxRows, echoRows, jobRuns: Number(count) };
  }
}
