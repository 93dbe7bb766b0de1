import { Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'priorities' })
export class Priority {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('priorities_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'varchar', length: 4096, default: '' })
  description: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  iconUrl: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  backendId: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  backendName: string | null;
}
