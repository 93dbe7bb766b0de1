import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { Comment } from '../comments/comment.entity';
import { SyncState } from '../common/sync-state';
import { Issue } from '../issues/issue.entity';
import { SupportUser } from '../support-users/support-user.entity';

const bigintAsNumber = { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

@Entity({ name: 'attachments' })
@Index('attachments_backend_key', ['backendName', 'backendId'], { unique: true, where: "backend_id IS NOT NULL AND backend_id <> ''" })
export class Attachment {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('attachments_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Index('attachments_issue_id_idx')
  @Column({ type: 'integer' })
  issueId: number;

  @ManyToOne(() => Issue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'issue_id', foreignKeyConstraintName: 'attachments_issue_id_fkey' })
  issue: Issue;

  /**
   * The comment the file came with: the comment of its Zammad article, the SMAX comment
   * whose `AttachmentIds` list it, or the Jira comment that references it. Null for a file
   * added on its own. Those who may not read the comment do not see the file.
   *
   * There is deliberately no foreign key. Deleting the comment leaves the id in place, and
   * a missing comment reads as an internal one, so its files stay hidden from customers
   * instead of becoming public. Comment ids come from a sequence and are never reused, so
   * a stale id never points at another comment.
   */
  @Index('attachments_comment_id_idx')
  @Column({ type: 'integer', nullable: true })
  commentId: number | null;

  @ManyToOne(() => Comment, { nullable: true, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'comment_id' })
  comment: Comment | null;

  @Column({ type: 'integer', nullable: true })
  authorId: number | null;

  @ManyToOne(() => SupportUser, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'attachments_author_id_fkey' })
  author: SupportUser | null;

  /** NFC-normalized original file name. */
  @Column({ type: 'varchar', length: 255 })
  fileName: string;

  /** Sniffed from the bytes, not taken from the client. */
  @Column({ type: 'varchar', length: 255, default: 'application/octet-stream' })
  mimeType: string;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  fileSize: number;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  /** Where the storage port keeps the bytes; null while a backend-held file is not downloaded yet. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  storageKey: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  backendName: string | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  backendId: string;

  /**
   * True for a file added in the backend and copied here by a pull, false for one uploaded
   * through our API. The Jira, Zammad and SMAX pulls set it.
   */
  @Column({ type: 'boolean', default: false })
  fromBackend: boolean;

  @Column({ type: 'smallint', default: SyncState.OK })
  state: SyncState;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
