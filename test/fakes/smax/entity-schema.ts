/** Entity types the fake stores and serves through EMS. */
export const ENTITY_TYPES = ['Request', 'Person', 'ITProcessRecordCategory'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface EntitySchema {
  properties: ReadonlySet<string>;
  /** Properties a bulk write may not set: the server assigns or derives them. */
  readOnly: ReadonlySet<string>;
  mandatoryOnCreate: readonly string[];
  /** Properties holding the Id of another record, with that record's type. */
  references: Readonly<Record<string, EntityType>>;
}

const SERVER_PROPERTIES = ['Id', 'LastUpdateTime', 'EmsCreationTime'];

const SCHEMAS: Record<EntityType, EntitySchema> = {
  Request: {
    properties: new Set([
      ...SERVER_PROPERTIES,
      'DisplayLabel',
      'Description',
      'PhaseId',
      'Status',
      'RequestType',
      'RequestedByPerson',
      'RequestedForPerson',
      'AssignedToPerson',
      'AssignedToGroup',
      'CurrentAssignment',
      'CreationSource',
      'RequestsOffering',
      'RegisteredForActualService',
      'Category',
      'Priority',
      'Urgency',
      'ImpactScope',
      'CompletionCode',
      'Solution',
      'RequestAttachments',
      'Comments',
    ]),
    readOnly: new Set([...SERVER_PROPERTIES, 'Comments']),
    mandatoryOnCreate: ['DisplayLabel', 'RequestedByPerson'],
    references: {
      RequestedByPerson: 'Person',
      RequestedForPerson: 'Person',
      AssignedToPerson: 'Person',
      Category: 'ITProcessRecordCategory',
    },
  },
  Person: {
    properties: new Set([
      ...SERVER_PROPERTIES,
      'Name',
      'FirstName',
      'LastName',
      'Email',
      'Upn',
      'ExternalId',
      'IsSystemIntegration',
      'IsDeleted',
    ]),
    readOnly: new Set(SERVER_PROPERTIES),
    mandatoryOnCreate: ['LastName'],
    references: {},
  },
  ITProcessRecordCategory: {
    properties: new Set([...SERVER_PROPERTIES, 'DisplayLabel', 'Description']),
    readOnly: new Set(SERVER_PROPERTIES),
    mandatoryOnCreate: ['DisplayLabel'],
    references: {},
  },
};

export function isEntityType(name: string): name is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(name);
}

export function schemaOf(type: EntityType): EntitySchema {
  return SCHEMAS[type];
}

/**
 * Tells whether `property` exists on `type`. Tenant custom properties end in
 * `_c` (e.g. `CreationSourceName_c`) and are accepted on every type.
 */
export function hasProperty(type: EntityType, property: string): boolean {
  return SCHEMAS[type].properties.has(property) || /^\w+_c$/.test(property);
}
