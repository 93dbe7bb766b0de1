import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { User } from '../users/user.entity';

/** An API token; only the SHA-256 of the key is stored, so a key is shown once, when minted. */
@Entity({ name: 'auth_tokens' })
export class AuthToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('auth_tokens_key_hash_key', { unique: true })
  @Column({ type: 'char', length: 64 })
  keyHash: string;

  @Index('auth_tokens_user_id_idx')
  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'auth_tokens_user_id_fkey' })
  user: User;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}
