import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { Customer } from '../../identity/customers/customer.entity';
import { Project } from '../../identity/projects/project.entity';
import { User } from '../../identity/users/user.entity';
import { SyncState } from '../common/sync-state';
import type { Feedback } from '../feedback/feedback.entity';
import { Resource } from '../resources/resource.entity';
import { SupportUser } from '../support-users/support-user.entity';
import { Template } from '../templates/template.entity';

@Entity({ name: 'issues' })
@Index('issues_backend_key', ['backendName', 'backendId'], { unique: true, where: 'backend_id IS NOT NULL' })
export class Issue {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('issues_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  /** The backend the issue was created in; it stays there when the active backend changes. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  backendName: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  backendId: string | null;

  /** Free-form reference supplied by the API client; unique across issues. */
  @Index('issues_remote_id_key', { unique: true, where: 'remote_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 255, nullable: true })
  remoteId: string | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  key: string;

  @Column({ type: 'varchar', length: 255 })
  type: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  link: string;

  @Column({ type: 'varchar', length: 255 })
  summary: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  impact: string;

  /** Raw backend status name; its meaning comes from the issue-status table. */
  @Column({ type: 'varchar', length: 255, default: '' })
  status: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  resolution: string;

  /** Priority name, as the backend spells it. */
  @Column({ type: 'varchar', length: 255, default: '' })
  priority: string;

  @Column({ type: 'integer', nullable: true })
  callerId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'caller_id', foreignKeyConstraintName: 'issues_caller_id_fkey' })
  caller: User | null;

  @Column({ type: 'integer', nullable: true })
  reporterId: number | null;

  @ManyToOne(() => SupportUser, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'issues_reporter_id_fkey' })
  reporter: SupportUser | null;

  @Column({ type: 'integer', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => SupportUser, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'issues_assignee_id_fkey' })
  assignee: SupportUser | null;

  @Index('issues_customer_id_idx')
  @Column({ type: 'integer', nullable: true })
  customerId: number | null;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'issues_customer_id_fkey' })
  customer: Customer | null;

  @Index('issues_project_id_idx')
  @Column({ type: 'integer', nullable: true })
  projectId: number | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'issues_project_id_fkey' })
  project: Project | null;

  @Index('issues_resource_id_idx')
  @Column({ type: 'integer', nullable: true })
  resourceId: number | null;

  @ManyToOne(() => Resource, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'issues_resource_id_fkey' })
  resource: Resource | null;

  @Column({ type: 'integer', nullable: true })
  templateId: number | null;

  @ManyToOne(() => Template, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'template_id', foreignKeyConstraintName: 'issues_template_id_fkey' })
  template: Template | null;

  /** Deadline of the first-response SLA, when the backend reports one. */
  @Column({ type: 'timestamptz', nullable: true })
  firstResponseSla: Date | null;

  /** Set when the issue enters a RESOLVED or CANCELED status. */
  @Column({ type: 'timestamptz', nullable: true })
  resolutionDate: Date | null;

  /** Whether a feedback request may be sent when the issue is resolved. */
  @Column({ type: 'boolean', default: true })
  feedbackRequest: boolean;

  /** When the feedback request was stored; feedback tokens are valid for a period from here. */
  @Column({ type: 'timestamptz', nullable: true })
  feedbackRequestedAt: Date | null;

  @Column({ type: 'smallint', default: SyncState.OK })
  state: SyncState;

  @OneToOne('Feedback', 'issue')
  feedback?: Feedback | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
