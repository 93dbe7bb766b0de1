import { Injectable } from '@nestjs/common';

import { ApiUrls } from '../../../common/http/api-urls';
import { formatUuid } from '../../../common/http/uuid';
import type { User } from '../../../identity/users/user.entity';
import { assertStaff } from '../common/staff-only';
import { SyncStatusService } from './sync-status.service';

/** Renders the sync status for staff in the API's snake_case shape. */
@Injectable()
export class SyncStatusViewService {
  constructor(private readonly status: SyncStatusService) {}

  async render(user: User, urls: ApiUrls): Promise<Record<string, unknown>> {
    assertStaff(user);
    const status = await this.status.snapshot();
    return {
      replica_id: status.replicaId,
      backends: status.backends.map((backend) => ({
        backend_name: backend.backendName,
        deliverer_registered: backend.delivererRegistered,
        processor_registered: backend.processorRegistered,
        outbox: {
          pending: backend.outbox.pending,
          in_progress: backend.outbox.inProgress,
          dead: backend.outbox.dead,
          depth: backend.outbox.depth,
          oldest_pending_age_seconds: backend.outbox.oldestPendingAgeSeconds,
          dead_rows: backend.outbox.deadRows.map((row) => ({
            url: urls.detail('support-sync-outbox', row.uuid),
            uuid: formatUuid(row.uuid),
            issue_uuid: row.issueUuid ? formatUuid(row.issueUuid) : null,
            operation: row.operation,
            attempts: row.attempts,
            last_error: row.lastError,
            modified: row.modified,
          })),
        },
        circuit: {
          state: backend.circuit.state,
          consecutive_failures: backend.circuit.consecutiveFailures,
          opened_at: backend.circuit.openedAt,
          last_error: backend.circuit.lastError,
        },
        inbox: {
          pending: backend.inbox.pending,
          failed: backend.inbox.failed,
          backlog: backend.inbox.backlog,
          oldest_backlog_age_seconds: backend.inbox.oldestBacklogAgeSeconds,
        },
        last_successful_pull_at: backend.lastSuccessfulPullAt,
        pulls: backend.pulls.map((pull) => ({
          scope: pull.scope,
          watermark: pull.watermark,
          last_success_at: pull.lastSuccessAt,
          last_error: pull.lastError,
          last_error_at: pull.lastErrorAt,
          last_reconciled_at: pull.lastReconciledAt,
        })),
      })),
      jobs: status.jobs.map((run) => ({
        job_name: run.jobName,
        tick: run.tick,
        status: run.status,
        replica_id: run.replicaId,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        counts: run.counts,
        error: run.error,
      })),
    };
  }
}
