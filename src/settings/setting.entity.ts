import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One runtime setting override; keys without a row use their built-in default. */
@Entity({ name: 'settings' })
export class Setting {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'jsonb' })
  value: unknown;

  /** Taken from `settings_revision_seq` on every write, so replicas can poll `max(revision)`. */
  @Index('settings_revision_idx')
  @Column({ type: 'bigint' })
  revision: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
