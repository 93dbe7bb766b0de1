/**
 * The field catalog served by `GET /rest/api/2/field`: system fields with
 * fixed ids and custom fields numbered from `customFieldIdStart`, so tests can
 * prove that an adapter resolves custom fields by name instead of hard-coding
 * ids. Two fields are named "Project" (the system one and a custom one), as
 * names are not unique in real Jira either.
 */

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'select'
  | 'radio'
  | 'user'
  | 'labels'
  | 'number'
  | 'datetime'
  | 'date'
  | 'priority'
  | 'issuetype'
  | 'project'
  | 'status'
  | 'resolution'
  | 'participants'
  | 'organizations'
  | 'requesttype'
  | 'sla'
  | 'comment'
  | 'readonly';

export interface FieldOption {
  id: string;
  value: string;
}

export interface FieldSchema {
  type: string;
  system?: string;
  items?: string;
  custom?: string;
  customId?: number;
}

export interface FieldDefinition {
  id: string;
  name: string;
  custom: boolean;
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema?: FieldSchema;
  kind: FieldKind;
  /** Settable through the create and edit screens. */
  editable: boolean;
  options?: FieldOption[];
  /** Which SLA the field shows. */
  sla?: 'firstResponse' | 'resolution';
}

interface SystemFieldSeed {
  id: string;
  name: string;
  kind: FieldKind;
  editable: boolean;
  schema?: FieldSchema;
  clauseNames?: string[];
  searchable?: boolean;
  orderable?: boolean;
}

const SYSTEM_FIELDS: SystemFieldSeed[] = [
  { id: 'summary', name: 'Summary', kind: 'text', editable: true, schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', kind: 'textarea', editable: true, schema: { type: 'string', system: 'description' } },
  { id: 'environment', name: 'Environment', kind: 'textarea', editable: true, schema: { type: 'string', system: 'environment' } },
  { id: 'issuetype', name: 'Issue Type', kind: 'issuetype', editable: false, clauseNames: ['issuetype', 'type'], schema: { type: 'issuetype', system: 'issuetype' } },
  { id: 'project', name: 'Project', kind: 'project', editable: false, schema: { type: 'project', system: 'project' } },
  { id: 'priority', name: 'Priority', kind: 'priority', editable: true, schema: { type: 'priority', system: 'priority' } },
  { id: 'labels', name: 'Labels', kind: 'labels', editable: true, schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'assignee', name: 'Assignee', kind: 'user', editable: true, schema: { type: 'user', system: 'assignee' } },
  { id: 'reporter', name: 'Reporter', kind: 'user', editable: true, schema: { type: 'user', system: 'reporter' } },
  { id: 'creator', name: 'Creator', kind: 'readonly', editable: false, schema: { type: 'user', system: 'creator' } },
  { id: 'duedate', name: 'Due date', kind: 'date', editable: true, clauseNames: ['due', 'duedate'], schema: { type: 'date', system: 'duedate' } },
  { id: 'status', name: 'Status', kind: 'status', editable: false, schema: { type: 'status', system: 'status' } },
  { id: 'resolution', name: 'Resolution', kind: 'resolution', editable: false, schema: { type: 'resolution', system: 'resolution' } },
  { id: 'resolutiondate', name: 'Resolved', kind: 'readonly', editable: false, clauseNames: ['resolutiondate', 'resolved'], schema: { type: 'datetime', system: 'resolutiondate' } },
  { id: 'created', name: 'Created', kind: 'readonly', editable: false, clauseNames: ['created', 'createdDate'], schema: { type: 'datetime', system: 'created' } },
  { id: 'updated', name: 'Updated', kind: 'readonly', editable: false, clauseNames: ['updated', 'updatedDate'], schema: { type: 'datetime', system: 'updated' } },
  { id: 'statuscategorychangedate', name: 'Status Category Changed', kind: 'readonly', editable: false, clauseNames: ['statusCategoryChangedDate'], schema: { type: 'datetime', system: 'statuscategorychangedate' } },
  { id: 'attachment', name: 'Attachment', kind: 'readonly', editable: false, clauseNames: ['attachments'], schema: { type: 'array', items: 'attachment', system: 'attachment' } },
  { id: 'comment', name: 'Comment', kind: 'comment', editable: true, schema: { type: 'comments-page', system: 'comment' } },
  { id: 'issuelinks', name: 'Linked Issues', kind: 'readonly', editable: false, clauseNames: ['issueLink'], schema: { type: 'array', items: 'issuelinks', system: 'issuelinks' } },
  { id: 'subtasks', name: 'Sub-tasks', kind: 'readonly', editable: false, clauseNames: ['subtasks'], schema: { type: 'array', items: 'issuelinks', system: 'subtasks' } },
  // Jira lists `parent` without a schema.
  { id: 'parent', name: 'Parent', kind: 'readonly', editable: false, searchable: false, orderable: false },
  { id: 'components', name: 'Components', kind: 'readonly', editable: false, clauseNames: ['component'], schema: { type: 'array', items: 'component', system: 'components' } },
  { id: 'watches', name: 'Watchers', kind: 'readonly', editable: false, clauseNames: ['watchers'], schema: { type: 'watches', system: 'watches' } },
  { id: 'issuekey', name: 'Key', kind: 'readonly', editable: false, clauseNames: ['id', 'issue', 'issuekey', 'key'], orderable: false },
];

interface CustomFieldSeed {
  name: string;
  kind: FieldKind;
  type: string;
  items?: string;
  plugin: string;
  options?: string[];
  sla?: 'firstResponse' | 'resolution';
  editable?: boolean;
}

const JIRA_TYPES = 'com.atlassian.jira.plugin.system.customfieldtypes';

const CUSTOM_FIELDS: CustomFieldSeed[] = [
  { name: 'Request Type', kind: 'requesttype', type: 'sd-customerrequesttype', plugin: 'com.atlassian.servicedesk:vp-origin', editable: false },
  { name: 'Request participants', kind: 'participants', type: 'array', items: 'user', plugin: 'com.atlassian.servicedesk:sd-request-participants' },
  { name: 'Organizations', kind: 'organizations', type: 'array', items: 'sd-customerorganization', plugin: 'com.atlassian.servicedesk:sd-customer-organizations' },
  { name: 'Time to first response', kind: 'sla', type: 'sd-servicelevelagreement', plugin: 'com.atlassian.servicedesk:sd-sla-field', sla: 'firstResponse', editable: false },
  { name: 'Time to resolution', kind: 'sla', type: 'sd-servicelevelagreement', plugin: 'com.atlassian.servicedesk:sd-sla-field', sla: 'resolution', editable: false },
  { name: 'Impact', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
  { name: 'Original Reporter', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
  { name: 'Reporter organization', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
  { name: 'Project', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
  { name: 'Affected resource', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
  { name: 'Caller', kind: 'user', type: 'user', plugin: `${JIRA_TYPES}:userpicker` },
  { name: 'Template', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
  { name: 'Request feedback', kind: 'radio', type: 'option', plugin: `${JIRA_TYPES}:radiobuttons`, options: ['Yes', 'No'] },
  {
    name: 'Customer satisfaction',
    kind: 'select',
    type: 'option',
    plugin: `${JIRA_TYPES}:select`,
    options: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  },
  { name: 'waldur_backend_id', kind: 'text', type: 'string', plugin: `${JIRA_TYPES}:textfield` },
];

/** Field definitions of one fake instance, looked up by id, name or JQL clause name. */
export class FieldCatalog {
  readonly fields: FieldDefinition[];
  private readonly byIdMap = new Map<string, FieldDefinition>();

  constructor(customFieldIdStart: number) {
    const system = SYSTEM_FIELDS.map((seed): FieldDefinition => ({
      id: seed.id,
      name: seed.name,
      custom: false,
      orderable: seed.orderable ?? true,
      navigable: true,
      searchable: seed.searchable ?? true,
      clauseNames: seed.clauseNames ?? [seed.id],
      schema: seed.schema,
      kind: seed.kind,
      editable: seed.editable,
    }));
    let nextOptionId = 20000;
    const custom = CUSTOM_FIELDS.map((seed, index): FieldDefinition => {
      const number = customFieldIdStart + index;
      return {
        id: `customfield_${number}`,
        name: seed.name,
        custom: true,
        orderable: true,
        navigable: true,
        searchable: true,
        clauseNames: [`cf[${number}]`, seed.name],
        schema: { type: seed.type, ...(seed.items ? { items: seed.items } : {}), custom: seed.plugin, customId: number },
        kind: seed.kind,
        editable: seed.editable ?? true,
        options: seed.options?.map((value) => ({ id: String(nextOptionId++), value })),
        sla: seed.sla,
      };
    });
    this.fields = [...system, ...custom];
    for (const field of this.fields) {
      this.byIdMap.set(field.id, field);
    }
  }

  byId(id: string): FieldDefinition | undefined {
    return this.byIdMap.get(id);
  }

  /** Returns the custom field with this exact name. Throws if the seed lacks it, which is a bug in the fake. */
  customByName(name: string): FieldDefinition {
    const field = this.fields.find((candidate) => candidate.custom && candidate.name === name);
    if (!field) {
      throw new Error(`The fake has no custom field named "${name}".`);
    }
    return field;
  }

  /** Finds fields whose JQL clause names include `clause`, compared case-insensitively as JQL does. */
  byClauseName(clause: string): FieldDefinition[] {
    const lowerClause = clause.toLowerCase();
    return this.fields.filter((field) => field.clauseNames.some((name) => name.toLowerCase() === lowerClause));
  }

  /** Resolves a field given by id or, for convenience in the control API, by its name. */
  resolve(idOrName: string): FieldDefinition | undefined {
    return this.byId(idOrName) ?? this.fields.find((field) => field.custom && field.name === idOrName);
  }

  slaFields(): FieldDefinition[] {
    return this.fields.filter((field) => field.kind === 'sla');
  }
}

/** Renders a field as `GET /rest/api/2/field` lists it. */
export function renderFieldDefinition(field: FieldDefinition): Record<string, unknown> {
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    ...(field.custom ? { untranslatedName: field.name } : {}),
    custom: field.custom,
    orderable: field.orderable,
    navigable: field.navigable,
    searchable: field.searchable,
    clauseNames: field.clauseNames,
    ...(field.schema ? { schema: field.schema } : {}),
  };
}
