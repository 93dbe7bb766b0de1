import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { stripNullCharacter } from '../../common/null-characters';
import { SyncWatermark } from './sync-watermark.entity';

/** Reads and moves pull watermarks; a watermark never moves back. */
@Injectable()
export class WatermarksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(backendName: string, scope: string): Promise<SyncWatermark | null> {
    return this.dataSource.getRepository(SyncWatermark).findOneBy({ backendName, scope });
  }

  async list(): Promise<SyncWatermark[]> {
    return this.dataSource.getRepository(SyncWatermark).find({ order: { backendName: 'ASC', scope: 'ASC' } });
  }

  /** Records an applied page: moves the watermark forward (a null keeps it) and clears the last error. */
  async recordSuccess(backendName: string, scope: string, watermark: Date | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sync_watermarks (backend_name, scope, watermark, last_success_at, modified)
       VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (backend_name, scope) DO UPDATE SET
         watermark = GREATEST(sync_watermarks.watermark, EXCLUDED.watermark),
         last_success_at = now(), last_error = NULL, last_error_at = NULL, modified = now()`,
      [backendName, scope, watermark],
    );
  }

  async recordError(backendName: string, scope: string, error: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sync_watermarks (backend_name, scope, last_error, last_error_at, modified)
       VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (backend_name, scope) DO UPDATE SET last_error = EXCLUDED.last_error, last_error_at = now(), modified = now()`,
      [backendName, scope, stripNullCharacter(error).slice(0, 4000)],
    );
  }

  async recordReconciled(backendName: string, scope: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sync_watermarks (backend_name, scope, last_reconciled_at, modified)
       VALUES ($1, $2, now(), now())
       ON CONFLICT (backend_name, scope) DO UPDATE SET last_reconciled_at = now(), modified = now()`,
      [backendName, scope],
    );
  }
}
