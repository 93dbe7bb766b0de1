import { Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * How a backend status name counts: RESOLVED (0) and CANCELED (1) end an issue, as in
 * Waldur; ACTIVE (2) is our addition for the built-in desk's open statuses.
 */
export enum IssueStatusType {
  RESOLVED = 0,
  CANCELED = 1,
  ACTIVE = 2,
}

export const ISSUE_STATUS_TYPE_DISPLAY: Record<IssueStatusType, string> = {
  [IssueStatusType.RESOLVED]: 'Resolved',
  [IssueStatusType.CANCELED]: 'Canceled',
  [IssueStatusType.ACTIVE]: 'Active',
};

@Entity({ name: 'issue_statuses' })
export class IssueStatus {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('issue_statuses_uuid_key', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  uuid: string;

  @Index('issue_statuses_name_key', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'smallint', default: IssueStatusType.RESOLVED })
  type: IssueStatusType;
}
