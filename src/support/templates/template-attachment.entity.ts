import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import type { Template } from './template.entity';

@Entity({ name: 'template_attachments' })
export class TemplateAttachment {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('template_attachments_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Index('template_attachments_template_id_idx')
  @Column({ type: 'integer' })
  templateId: number;

  @ManyToOne('Template', 'attachments', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'template_id', foreignKeyConstraintName: 'template_attachments_template_id_fkey' })
  template: Template;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  /** Where the storage port keeps the bytes. */
  @Column({ type: 'varchar', length: 255 })
  storageKey: string;

  @Column({ type: 'varchar', length: 255, default: 'application/octet-stream' })
  mimeType: string;

  @Column({ type: 'bigint', default: 0, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  fileSize: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;
}
