import { Logger } from '@nestjs/common';

import type { JiraAuth } from './jira-auth';
import { clauseNames, JiraFieldResolver } from './jira-fields';
import { JiraReferenceData } from './jira-reference-data';
import { JiraClient } from './jira.client';
import type { JiraServerInfo } from './jira.types';

/** Time one discovery call to Jira may take; an admin waits on it. */
const DISCOVERY_TIMEOUT_MS = 15_000;

export interface DiscoveredAccount {
  accountId: string | null;
  name: string | null;
  displayName: string | null;
  email: string | null;
  timeZone: string | null;
}

export interface DiscoveredServer {
  baseUrl: string | null;
  version: string | null;
  deploymentType: string | null;
}

export interface DiscoveredProject {
  projectId: string;
  key: string;
  name: string;
  serviceDeskId: string;
}

export interface DiscoveredRequestType {
  id: string;
  name: string;
  description: string | null;
  issueTypeId: string | null;
}

export interface DiscoveredPriority {
  id: string;
  name: string;
  description: string | null;
  iconUrl: string | null;
}

export interface DiscoveredField {
  id: string;
  name: string;
  clauseNames: string[];
  /** The plugin type (`schema.custom`), or the JSON type for system fields. */
  fieldType: string;
  required: boolean;
}

export interface JiraDiscoveryOptions {
  baseUrl: string;
  auth: JiraAuth;
  verifySsl: boolean;
  /** `ATLASSIAN_STRANGE_SETTING`, for old Service Desk request-type routes. */
  strangeSetting: number;
}

/**
 * Reads what an admin picks from when configuring Jira, with credentials that are not
 * saved yet: the integration user, the service desk projects, request types, priorities
 * and fields. Results are in our terms, so no Jira JSON leaves this folder. Close it
 * after use, because each instance keeps a connection pool.
 */
export class JiraDiscovery {
  private readonly logger = new Logger(JiraDiscovery.name);
  private readonly client: JiraClient;

  constructor(private readonly options: JiraDiscoveryOptions) {
    this.client = new JiraClient({
      baseUrl: options.baseUrl,
      auth: options.auth,
      verifySsl: options.verifySsl,
      timeoutMs: DISCOVERY_TIMEOUT_MS,
      maxAttempts: 2,
      maxRetryWaitMs: 5_000,
    });
  }

  /** Checks the credentials by reading the integration user; the server details are best effort. */
  async checkCredentials(): Promise<{ account: DiscoveredAccount; server: DiscoveredServer }> {
    const myself = await this.client.myself();
    const server = await this.client.serverInfo().catch((error: Error): JiraServerInfo => {
      this.logger.warn(`Jira accepted the credentials, but reading serverInfo failed: ${error.message}`);
      return {};
    });
    return {
      account: {
        accountId: myself.accountId ?? myself.key ?? null,
        name: myself.name ?? null,
        displayName: myself.displayName ?? null,
        email: myself.emailAddress ?? null,
        timeZone: myself.timeZone ?? null,
      },
      server: { baseUrl: server.baseUrl ?? null, version: server.version ?? null, deploymentType: server.deploymentType ?? null },
    };
  }

  async projects(): Promise<DiscoveredProject[]> {
    const desks = await this.client.listServiceDesks();
    return desks.map((desk) => ({ projectId: String(desk.projectId), key: desk.projectKey, name: desk.projectName, serviceDeskId: String(desk.id) }));
  }

  /** Request types of the service desk of `projectId` (a service desk id, project id or key). */
  async requestTypes(projectId: string): Promise<DiscoveredRequestType[]> {
    const desk = await this.reference(projectId).serviceDesk();
    const types = await this.client.listRequestTypes(desk.id);
    return types.map((type) => ({
      id: String(type.id),
      name: type.name,
      description: type.description || null,
      issueTypeId: type.issueTypeId ? String(type.issueTypeId) : null,
    }));
  }

  async priorities(): Promise<DiscoveredPriority[]> {
    const priorities = await this.client.listPriorities();
    return priorities
      .filter((priority) => priority.id !== undefined && priority.name)
      .map((priority) => ({ id: String(priority.id), name: priority.name!, description: priority.description || null, iconUrl: priority.iconUrl || null }));
  }

  /** Lists every custom field, or with `requestTypeId` the fields on that request type's form, with whether each is required. */
  async fields(projectId: string, requestTypeId?: string): Promise<DiscoveredField[]> {
    const fields = await this.client.listFields();
    if (!requestTypeId) {
      return fields
        .filter((field) => field.custom)
        .map((field) => ({ id: field.id, name: field.name, clauseNames: clauseNames(field), fieldType: field.schema?.custom ?? field.schema?.type ?? '', required: false }));
    }

    const desk = await this.reference(projectId).serviceDesk();
    const formFields = (await this.client.getRequestTypeFields(desk.id, requestTypeId)).requestTypeFields ?? [];
    const byId = new Map(fields.map((field) => [field.id, field]));
    return formFields.map((formField) => {
      const field = byId.get(formField.fieldId);
      return {
        id: formField.fieldId,
        name: formField.name ?? field?.name ?? formField.fieldId,
        clauseNames: field ? clauseNames(field) : [],
        fieldType: formField.jiraSchema?.custom ?? formField.jiraSchema?.type ?? field?.schema?.custom ?? field?.schema?.type ?? '',
        required: formField.required === true,
      };
    });
  }

  /** Returns the names among `names` that match no Jira field. */
  async unknownFieldNames(names: string[]): Promise<string[]> {
    const resolver = new JiraFieldResolver(this.client);
    const unknown: string[] = [];
    for (const name of names) if (name && !(await resolver.find(name))) unknown.push(name);
    return unknown;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private reference(projectId: string): JiraReferenceData {
    return new JiraReferenceData(this.client, { projectId: projectId.trim(), strangeSetting: this.options.strangeSetting, automaticRequestMapping: false });
  }
}

/** Runs `work` with a discovery client and closes it afterwards. */
export async function withJiraDiscovery<T>(options: JiraDiscoveryOptions, work: (discovery: JiraDiscovery) => Promise<T>): Promise<T> {
  const discovery = new JiraDiscovery(options);
  try {
    return await work(discovery);
  } finally {
    await discovery.close();
  }
}
