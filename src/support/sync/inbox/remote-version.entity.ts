import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The newest version of a remote object applied to our copy. */
@Entity({ name: 'sync_remote_versions' })
export class RemoteVersion {
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'sync_remote_versions_pkey' })
  backendName: string;

  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'sync_remote_versions_pkey' })
  objectType: string;

  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'sync_remote_versions_pkey' })
  remoteId: string;

  /** A decimal integer: epoch milliseconds of the remote's update time, or its counter. */
  @Column({ type: 'numeric', precision: 40, scale: 0 })
  lastVersion: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
