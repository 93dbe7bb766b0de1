import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('users_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Index('users_username_key', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  username: string;

  @Column({ type: 'varchar', length: 320, default: '' })
  email: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  firstName: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  lastName: string;

  /** Kept in step with first and last name by the users service unless set explicitly. */
  @Column({ type: 'varchar', length: 201, default: '' })
  fullName: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  civilNumber: string;

  @Column({ type: 'boolean', default: false })
  isStaff: boolean;

  @Column({ type: 'boolean', default: false })
  isSupport: boolean;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  /** scrypt hash in `scrypt$N$r$p$salt$hash` form; null for users who cannot log in with a password. */
  @Column({ type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash: string | null;

  /** Seconds a new token of this user stays valid; null means the server default. */
  @Column({ type: 'integer', nullable: true })
  tokenLifetime: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  dateJoined: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
