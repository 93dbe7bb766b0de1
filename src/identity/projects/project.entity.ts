import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { Customer } from '../customers/customer.entity';

@Entity({ name: 'projects' })
export class Project {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('projects_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Column({ type: 'varchar', length: 500 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Index('projects_customer_id_idx')
  @Column({ type: 'integer' })
  customerId: number;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'projects_customer_id_fkey' })
  customer: Customer;

  @Column({ type: 'varchar', length: 255, default: '' })
  backendId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;
}
