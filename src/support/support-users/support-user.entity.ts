import { Column, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { User } from '../../identity/users/user.entity';

/** An account in a ticketing backend (agent or customer), linked to one of our users when known. */
@Entity({ name: 'support_users' })
export class SupportUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('support_users_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'support_users_user_id_fkey' })
  user: User | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  backendId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  backendName: string | null;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}
