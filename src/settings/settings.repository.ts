import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import type { SettingKey } from './settings.registry';

/** A stored override. Null is a tombstone that means "use the default". */
export type StoredValue = boolean | number | string | null;

export interface StoredSetting {
  key: string;
  /** The jsonb value as `pg` parses it, where a JSON null is a tombstone. */
  value: unknown;
  revision: string;
}

/**
 * SQL over the `settings` table. Every write takes a fresh `settings_revision_seq`
 * value, and writers are serialized by a table lock taken before `nextval`, so
 * revisions become visible in increasing order and `max(revision)` detects every commit.
 * Unsetting a key writes a JSON null with a new revision instead of deleting the row,
 * because a deleted row would not move `max(revision)`.
 */
@Injectable()
export class SettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns the highest revision, or null when the table is empty. */
  async findMaxRevision(): Promise<string | null> {
    const rows: { revision: string | null }[] = await this.dataSource.query(`SELECT max(revision)::text AS revision FROM settings`);
    return rows[0]?.revision ?? null;
  }

  async findAll(): Promise<StoredSetting[]> {
    return this.dataSource.query(`SELECT key, value, revision::text AS revision FROM settings`);
  }

  /** Writes the overrides that differ from the stored ones in one transaction and returns their keys. */
  async saveOverrides(overrides: ReadonlyMap<SettingKey, StoredValue>): Promise<SettingKey[]> {
    if (overrides.size === 0) return [];
    return this.dataSource.transaction((manager) => this.saveChangedOverrides(manager, overrides));
  }

  private async saveChangedOverrides(manager: EntityManager, overrides: ReadonlyMap<SettingKey, StoredValue>): Promise<SettingKey[]> {
    // EXCLUSIVE mode blocks other writers until commit but lets readers and the pollers through.
    await manager.query(`LOCK TABLE settings IN EXCLUSIVE MODE`);

    const keys = [...overrides.keys()];
    const rows: { key: string; value: unknown }[] = await manager.query(`SELECT key, value FROM settings WHERE key = ANY($1)`, [keys]);
    const stored = new Map(rows.map((row) => [row.key, row.value]));

    const written: SettingKey[] = [];
    for (const [key, value] of overrides) {
      if ((stored.get(key) ?? null) === value) continue;
      await manager.query(
        `INSERT INTO settings (key, value, revision, updated_at)
         VALUES ($1, $2::jsonb, nextval('settings_revision_seq'), now())
         ON CONFLICT (key) DO UPDATE
           SET value = EXCLUDED.value, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at`,
        [key, JSON.stringify(value)],
      );
      written.push(key);
    }
    return written;
  }
}
