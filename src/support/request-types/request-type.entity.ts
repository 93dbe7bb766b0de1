import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Maps an issue type name to a backend request type (Jira request type, SMAX category). */
@Entity({ name: 'request_types' })
@Index('request_types_backend_key', ['backendName', 'backendId'], { unique: true, where: 'backend_id IS NOT NULL' })
export class RequestType {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('request_types_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  issueTypeName: string;

  /** Null for request types created by hand. */
  @Column({ type: 'integer', nullable: true })
  backendId: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  backendName: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  fields: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'integer', default: 0 })
  order: number;

  /**
   * The issue type name was chosen by an admin (`save_settings` of the Atlassian settings,
   * or an edit through the request types API). Automatic request mapping then leaves the
   * name alone, and this row wins over other active rows of the same issue type.
   */
  @Column({ type: 'boolean', default: false })
  manualMapping: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;
}
