import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

import { bigintAsNumber } from '../common/bigint-column';

/** Content we pushed to a remote object, kept so its echo coming back can be recognized. */
@Entity({ name: 'sync_echo' })
@Index('sync_echo_content_key', ['backendName', 'objectType', 'remoteId', 'contentHash'], { unique: true })
export class EchoRecord {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber, primaryKeyConstraintName: 'sync_echo_pkey' })
  @Generated('increment')
  id: number;

  @Column({ type: 'varchar', length: 32 })
  backendName: string;

  @Column({ type: 'varchar', length: 32 })
  objectType: string;

  @Column({ type: 'varchar', length: 255 })
  remoteId: string;

  /** `contentHash()` of the pushed fields. */
  @Column({ type: 'char', length: 64 })
  contentHash: string;

  @Index('sync_echo_pushed_at_idx')
  @Column({ type: 'timestamptz', default: () => 'now()' })
  pushedAt: Date;
}
