import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { SyncState } from '../common/sync-state';
import { Issue } from '../issues/issue.entity';
import { SupportUser } from '../support-users/support-user.entity';

@Entity({ name: 'comments' })
@Index('comments_backend_key', ['backendName', 'backendId'], { unique: true, where: 'backend_id IS NOT NULL' })
export class Comment {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('comments_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Index('comments_issue_id_idx')
  @Column({ type: 'integer' })
  issueId: number;

  @ManyToOne(() => Issue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'issue_id', foreignKeyConstraintName: 'comments_issue_id_fkey' })
  issue: Issue;

  @Column({ type: 'integer' })
  authorId: number;

  @ManyToOne(() => SupportUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'comments_author_id_fkey' })
  author: SupportUser;

  /** Plain text, as the API shows it. */
  @Column({ type: 'text' })
  description: string;

  /**
   * The comment as its backend stores it (Zammad's HTML, say), kept beside the plain-text
   * description; null when the plain text is all there is.
   */
  @Column({ type: 'text', nullable: true })
  originalBody: string | null;

  /** Markup of `originalBody`: `html`, `wiki` or `text`; null when there is no original body. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  originalFormat: string | null;

  /** False for internal comments, which only staff, support and their author see. */
  @Column({ type: 'boolean', default: true })
  isPublic: boolean;

  @Column({ type: 'varchar', length: 32, nullable: true })
  backendName: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  backendId: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  remoteId: string | null;

  @Column({ type: 'smallint', default: SyncState.OK })
  state: SyncState;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
