import { Check, Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { Customer } from '../customers/customer.entity';
import { Project } from '../projects/project.entity';
import { User } from '../users/user.entity';
import type { RoleName, RoleScope } from './role-name';

/** A user's role in one customer or one project; it stops counting after `expirationTime`. */
@Entity({ name: 'role_grants' })
@Check('role_grants_scope_check', `(scope = 'customer' AND customer_id IS NOT NULL AND project_id IS NULL) OR (scope = 'project' AND project_id IS NOT NULL AND customer_id IS NULL)`)
@Index('role_grants_customer_user_role_key', ['customerId', 'userId', 'role'], { unique: true, where: 'customer_id IS NOT NULL' })
@Index('role_grants_project_user_role_key', ['projectId', 'userId', 'role'], { unique: true, where: 'project_id IS NOT NULL' })
export class RoleGrant {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('role_grants_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Index('role_grants_user_id_idx')
  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'role_grants_user_id_fkey' })
  user: User;

  @Column({ type: 'varchar', length: 16 })
  scope: RoleScope;

  @Column({ type: 'integer', nullable: true })
  customerId: number | null;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'role_grants_customer_id_fkey' })
  customer: Customer | null;

  @Column({ type: 'integer', nullable: true })
  projectId: number | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'role_grants_project_id_fkey' })
  project: Project | null;

  @Column({ type: 'varchar', length: 32 })
  role: RoleName;

  @Column({ type: 'timestamptz', nullable: true })
  expirationTime: Date | null;

  @Column({ type: 'integer', nullable: true })
  createdById: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;
}
