import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { millisecondsParam, queryRows } from '../common/sql';
import type { PushedContent } from '../outbox/outbox-deliverer';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';

/**
 * Echo suppression by content: the outbox records a hash of what each successful push
 * sent, and a processor calls `isEcho` before applying a remote change. The other half is
 * the change origin: changes applied from a backend run as `remoteChange(...)`, so they
 * never enqueue outbox rows (see `change-origin.ts`).
 */
@Injectable()
export class EchoGuard {
  constructor(@Inject(SYNC_CONFIG) private readonly config: SyncConfig) {}

  /** Records pushed contents in the caller's transaction; a repeat refreshes `pushed_at`. */
  async record(manager: EntityManager, backendName: string, contents: readonly PushedContent[]): Promise<void> {
    for (const content of contents) {
      await manager.query(
        `INSERT INTO sync_echo (backend_name, object_type, remote_id, content_hash, pushed_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (backend_name, object_type, remote_id, content_hash) DO UPDATE SET pushed_at = now()`,
        [backendName, content.objectType, content.remoteId, content.contentHash],
      );
    }
  }

  /** Tells whether we pushed exactly this content to this object within the echo window. */
  async isEcho(manager: EntityManager, backendName: string, objectType: string, remoteId: string, contentHash: string): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `SELECT 1 FROM sync_echo
       WHERE backend_name = $1 AND object_type = $2 AND remote_id = $3 AND content_hash = $4
         AND pushed_at >= now() - ${millisecondsParam(5)}`,
      [backendName, objectType, remoteId, contentHash, this.config.echo.windowMs],
    );
    return rows.length > 0;
  }

  /** Deletes records older than the echo window; returns how many. */
  async deleteExpired(dataSource: DataSource): Promise<number> {
    const rows = await queryRows(
      dataSource,
      `DELETE FROM sync_echo WHERE pushed_at < now() - ${millisecondsParam(1)} RETURNING id`,
      [this.config.echo.windowMs],
    );
    return rows.length;
  }
}
