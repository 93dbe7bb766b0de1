import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { Project } from '../../identity/projects/project.entity';

/** A marketplace resource an issue can be about; served at `/api/marketplace-resources/`. */
@Entity({ name: 'marketplace_resources' })
export class Resource {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('marketplace_resources_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  /** Type label shown on issues, e.g. "OpenStack.Instance". */
  @Column({ type: 'varchar', length: 100, default: 'Marketplace.Resource' })
  resourceType: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  backendId: string;

  @Index('marketplace_resources_project_id_idx')
  @Column({ type: 'integer' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'marketplace_resources_project_id_fkey' })
  project: Project;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  internalIps: string[];

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  externalIps: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;
}
