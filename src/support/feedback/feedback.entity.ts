import { Check, Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { SyncState } from '../common/sync-state';
import { Issue } from '../issues/issue.entity';

@Entity({ name: 'feedbacks' })
@Check('feedbacks_evaluation_check', 'evaluation BETWEEN 1 AND 10')
export class Feedback {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('feedbacks_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  /** One feedback per issue. */
  @Index('feedbacks_issue_id_key', { unique: true })
  @Column({ type: 'integer' })
  issueId: number;

  @OneToOne(() => Issue, (issue) => issue.feedback, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'issue_id', foreignKeyConstraintName: 'feedbacks_issue_id_fkey' })
  issue: Issue;

  @Column({ type: 'smallint' })
  evaluation: number;

  @Column({ type: 'text', default: '' })
  comment: string;

  @Column({ type: 'smallint', default: SyncState.OK })
  state: SyncState;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
