import { Column, CreateDateColumn, Entity, Generated, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import { TemplateAttachment } from './template-attachment.entity';

export const TEMPLATE_ISSUE_TYPES = ['INFORMATIONAL', 'SERVICE_REQUEST', 'CHANGE_REQUEST', 'INCIDENT'] as const;
export type TemplateIssueType = (typeof TEMPLATE_ISSUE_TYPES)[number];

@Entity({ name: 'templates' })
export class Template {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('templates_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Column({ type: 'varchar', length: 150 })
  name: string;

  @Column({ type: 'varchar', length: 150, default: '' })
  nativeName: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', default: '' })
  nativeDescription: string;

  @Column({ type: 'varchar', length: 30, default: 'INFORMATIONAL' })
  issueType: TemplateIssueType;

  @OneToMany(() => TemplateAttachment, (attachment) => attachment.template)
  attachments: TemplateAttachment[];

  @CreateDateColumn({ type: 'timestamptz' })
  created: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  modified: Date;
}
