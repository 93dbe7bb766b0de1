import { Logger } from '@nestjs/common';
import { EntityManager, In, IsNull, Not, QueryDeepPartialEntity } from 'typeorm';

import { FailedDependencyException } from '../../../common/errors/app.exception';
import { Priority } from '../../priorities/priority.entity';
import { RequestType } from '../../request-types/request-type.entity';
import { JiraClient } from './jira.client';
import type { JiraPriority, JsmRequestTypeField, JsmServiceDesk } from './jira.types';

const BACKEND = 'atlassian';

/** Order in which request types of one issue type are preferred: mapped by an admin first, then by `order`. */
export const REQUEST_TYPE_PREFERENCE = { manualMapping: 'DESC', order: 'ASC', id: 'ASC' } as const;

export interface JiraReferenceOptions {
  /** `ATLASSIAN_PROJECT_ID`: a service desk id or a project key. */
  projectId: string;
  strangeSetting: number;
  automaticRequestMapping: boolean;
}

/** A request type as Jira lists it, with the issue type name and the fields it shows. */
export interface JiraRequestTypeRecord {
  backendId: number;
  name: string;
  issueTypeId: string | null;
  issueTypeName: string | null;
  fields: JsmRequestTypeField[];
}

/** The `fields` column of request types pulled from Jira. */
export interface StoredRequestTypeFields {
  issueTypeId: string | null;
  requestTypeFields: JsmRequestTypeField[];
}

/**
 * The service desk, priorities and request types. Network reads and database writes are
 * separate steps, so callers can read Jira before they open a transaction.
 */
export class JiraReferenceData {
  private readonly logger = new Logger(JiraReferenceData.name);
  private serviceDeskCache?: Promise<JsmServiceDesk>;

  constructor(
    private readonly client: JiraClient,
    private readonly options: JiraReferenceOptions,
  ) {}

  /**
   * Returns the service desk of `ATLASSIAN_PROJECT_ID`, cached. A numeric value is read as
   * a service desk id. Anything else is matched against the desks' project keys, because
   * some Jira versions fail with NumberFormatException when given a key.
   */
  serviceDesk(): Promise<JsmServiceDesk> {
    this.serviceDeskCache ??= this.findServiceDesk();
    this.serviceDeskCache.catch(() => (this.serviceDeskCache = undefined));
    return this.serviceDeskCache;
  }

  /** Key of the configured project, from its service desk, or the setting itself when it is a key and no desk has it. */
  async projectKey(): Promise<string> {
    try {
      return (await this.serviceDesk()).projectKey;
    } catch (error) {
      if (!/^\d+$/.test(this.options.projectId) && error instanceof FailedDependencyException) return this.options.projectId;
      throw error;
    }
  }

  fetchPriorities(): Promise<JiraPriority[]> {
    return this.client.listPriorities();
  }

  /**
   * Stores Jira's priorities: updates names, descriptions and icons by id, adds new ones
   * and deletes the Jira priorities that are gone. Priorities of other backends stay.
   */
  async storePriorities(manager: EntityManager, priorities: JiraPriority[]): Promise<void> {
    const listed = priorities.filter((priority) => priority.id !== undefined && priority.name);
    const ids = listed.map((priority) => String(priority.id));
    await manager.delete(Priority, { backendName: BACKEND, backendId: ids.length > 0 ? Not(In(ids)) : Not(IsNull()) });
    for (const priority of listed) {
      const values = {
        name: priority.name!.slice(0, 150),
        description: (priority.description ?? '').slice(0, 4096),
        iconUrl: (priority.iconUrl ?? '').slice(0, 500),
      };
      const existing = await manager.findOneBy(Priority, { backendName: BACKEND, backendId: String(priority.id) });
      if (existing) await manager.update(Priority, { id: existing.id }, values);
      else await manager.save(manager.create(Priority, { ...values, backendName: BACKEND, backendId: String(priority.id) }));
    }
  }

  /**
   * Reads the service desk's request types with their fields and issue type names. Old
   * Service Desk versions leave `issueTypeId` out of the public list; their private
   * list (`/rest/servicedesk/{n}/...`) is read instead.
   */
  async fetchRequestTypes(): Promise<JiraRequestTypeRecord[]> {
    const desk = await this.serviceDesk();
    let types = (await this.client.listRequestTypes(desk.id)).map((type) => ({ id: String(type.id), name: type.name, issueTypeId: type.issueTypeId ?? null }));
    if (types.length > 0 && types.every((type) => !type.issueTypeId)) {
      const legacy = await this.client.listLegacyRequestTypes(this.options.strangeSetting, desk.projectKey, desk.id);
      types = legacy.map((type) => ({ id: String(type.id), name: type.name, issueTypeId: type.issueType === undefined ? null : String(type.issueType) }));
    }

    const issueTypeNames = new Map<string, string | null>();
    const records: JiraRequestTypeRecord[] = [];
    for (const type of types) {
      if (!/^\d+$/.test(type.id)) continue;
      const fields = await this.client.getRequestTypeFields(desk.id, type.id);
      let issueTypeName: string | null = null;
      if (type.issueTypeId) {
        if (!issueTypeNames.has(type.issueTypeId)) issueTypeNames.set(type.issueTypeId, (await this.client.getIssueType(type.issueTypeId))?.name ?? null);
        issueTypeName = issueTypeNames.get(type.issueTypeId) ?? null;
      }
      records.push({ backendId: Number(type.id), name: type.name, issueTypeId: type.issueTypeId, issueTypeName, fields: fields.requestTypeFields ?? [] });
    }
    return records;
  }

  /**
   * Stores request types by Jira id. With automatic mapping, the issue type names follow
   * Jira, except those an admin mapped (`manualMapping`), and the Jira request types that
   * are gone are deleted. Without it, names set by hand stay, and new types start with
   * their Jira issue type name.
   */
  async storeRequestTypes(manager: EntityManager, records: JiraRequestTypeRecord[]): Promise<void> {
    const ids = records.map((record) => record.backendId);
    if (this.options.automaticRequestMapping) {
      await manager.delete(RequestType, { backendName: BACKEND, backendId: ids.length > 0 ? Not(In(ids)) : Not(IsNull()) });
    }
    for (const record of records) {
      const fields: StoredRequestTypeFields = { issueTypeId: record.issueTypeId, requestTypeFields: record.fields };
      const existing = await manager.findOneBy(RequestType, { backendName: BACKEND, backendId: record.backendId });
      const name = record.name.slice(0, 150);
      if (existing) {
        const changes: Partial<RequestType> = { name, fields: fields as unknown as Record<string, unknown> };
        if (this.options.automaticRequestMapping && record.issueTypeName && !existing.manualMapping) {
          changes.issueTypeName = record.issueTypeName.slice(0, 255);
        }
        await manager.save(manager.merge(RequestType, existing, changes));
      } else {
        // Creates running at once may both find the request type missing and store it; the first row stays.
        const row: QueryDeepPartialEntity<RequestType> = {
          name,
          issueTypeName: (record.issueTypeName ?? record.name).slice(0, 255),
          backendName: BACKEND,
          backendId: record.backendId,
          fields: fields as unknown as QueryDeepPartialEntity<Record<string, unknown>>,
        };
        await manager.createQueryBuilder().insert().into(RequestType).values(row).orIgnore().execute();
      }
    }
    this.logger.log(`Stored ${records.length} Jira request types`);
  }

  /** Finds the active request type mapped to `issueType`: one an admin mapped first, then by order; null when none is. */
  findRequestType(manager: EntityManager, issueType: string): Promise<RequestType | null> {
    return manager.findOne(RequestType, {
      where: { backendName: BACKEND, issueTypeName: issueType, isActive: true, backendId: Not(IsNull()) },
      order: REQUEST_TYPE_PREFERENCE,
    });
  }

  private async findServiceDesk(): Promise<JsmServiceDesk> {
    const configured = this.options.projectId;
    if (!configured) throw new FailedDependencyException('ATLASSIAN_PROJECT_ID is not set, so the Jira service desk is unknown.');
    if (/^\d+$/.test(configured)) {
      const desk = await this.client.getServiceDesk(configured);
      if (desk) return desk;
    }
    const desks = await this.client.listServiceDesks();
    const desk = desks.find((candidate) => candidate.projectKey === configured || candidate.projectId === configured || candidate.id === configured);
    if (!desk) {
      const known = desks.map((candidate) => `${candidate.id} (${candidate.projectKey})`).join(', ') || 'none';
      throw new FailedDependencyException(`Jira has no service desk "${configured}" (ATLASSIAN_PROJECT_ID). Service desks the integration user sees: ${known}.`);
    }
    return desk;
  }
}

/** Checks whether a stored request type shows `fieldId` on its portal form; true when its fields were never read. */
export function requestTypeShowsField(requestType: Pick<RequestType, 'fields'>, fieldId: string): boolean {
  const stored = requestType.fields as Partial<StoredRequestTypeFields> | null;
  if (!stored || !Array.isArray(stored.requestTypeFields)) return true;
  return stored.requestTypeFields.some((field) => field.fieldId === fieldId);
}

/** Checks whether Jira listed `fieldId` among the fields of a stored request type; false when its fields were never read. */
export function requestTypeListsField(requestType: Pick<RequestType, 'fields'>, fieldId: string): boolean {
  const stored = requestType.fields as Partial<StoredRequestTypeFields> | null;
  return Array.isArray(stored?.requestTypeFields) && stored.requestTypeFields.some((field) => field.fieldId === fieldId);
}
