import { Router } from 'express';

import { BulkEntityError, BulkOperation, readProperties, validateEntityWrite } from './bulk-validation';
import { EntityType, isEntityType } from './entity-schema';
import { SmaxHttpError } from './errors';
import { FakeContext } from './fake-context';
import { actorOf, exchangeOf, readJsonBody } from './http-exchange';
import { Actor, EmsEntity, EmsProperties, StoredRelationship } from './smax-types';

// NOTE: SMAX does not document the members of `errorDetails`; clients should read only `message`.
export interface ErrorDetails {
  message: string;
  code: string;
}

export interface EntityResult {
  entity: EmsEntity;
  completion_status: 'OK' | 'FAILED';
  errorDetails?: ErrorDetails;
}

export interface RelationshipResult {
  relationship: unknown;
  completion_status: 'OK' | 'FAILED';
  errorDetails?: ErrorDetails;
}

/** Body of a `POST ems/bulk` response. SMAX sends it with HTTP 200 even when entities FAILED. */
export interface BulkResponse {
  entity_result_list: EntityResult[];
  relationship_result_list: RelationshipResult[];
  translation_result_list: unknown[];
  meta: { completion_status: 'OK' | 'FAILED' };
}

export interface BulkOptions {
  /** Reject every entity with this message and commit nothing (the injected FAILED-bulk fault). */
  injectedFailure?: string;
}

const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'];

/**
 * Runs a bulk write on behalf of `actor`. Each entity is validated and
 * committed on its own, so one FAILED entity does not undo the others.
 * Every committed Request change queues a change notification.
 * Raises SmaxHttpError(400) when the body is not a bulk request at all.
 */
export function runBulk(ctx: FakeContext, body: unknown, actor: Actor, options: BulkOptions = {}): BulkResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SmaxHttpError(400, 'The bulk request body must be a JSON object.');
  }
  const { entities = [], relationships = [], operation } = body as Record<string, unknown>;
  if (typeof operation !== 'string' || !OPERATIONS.includes(operation)) {
    throw new SmaxHttpError(400, `"operation" must be one of ${OPERATIONS.join(', ')}, got ${JSON.stringify(operation)}.`);
  }
  if (!Array.isArray(entities) || !Array.isArray(relationships)) {
    throw new SmaxHttpError(400, '"entities" and "relationships" must be lists.');
  }

  const changedRequests: string[] = [];
  const entityResults = entities.map((entity: unknown) => {
    if (options.injectedFailure !== undefined) {
      return failedResult(entity, new BulkEntityError(options.injectedFailure, 'BUSINESS_RULE_VIOLATION'));
    }
    try {
      if (operation === 'DELETE') {
        throw new BulkEntityError('Deleting records through ems/bulk is not supported by this fake.', 'UNSUPPORTED_OPERATION');
      }
      return writeEntity(ctx, operation as BulkOperation, entity, changedRequests);
    } catch (error) {
      if (error instanceof BulkEntityError) {
        return failedResult(entity, error);
      }
      throw error;
    }
  });
  const relationshipResults = relationships.map((relationship: unknown) =>
    options.injectedFailure !== undefined
      ? { relationship, completion_status: 'FAILED' as const, errorDetails: { message: options.injectedFailure, code: 'BUSINESS_RULE_VIOLATION' } }
      : writeRelationship(ctx, operation, relationship),
  );

  for (const requestId of changedRequests) {
    ctx.webhooks.requestChanged(requestId, actor);
  }
  const failed = [...entityResults, ...relationshipResults].some((result) => result.completion_status === 'FAILED');
  return {
    entity_result_list: entityResults,
    relationship_result_list: relationshipResults,
    translation_result_list: [],
    meta: { completion_status: failed ? 'FAILED' : 'OK' },
  };
}

function writeEntity(ctx: FakeContext, operation: BulkOperation, entity: unknown, changedRequests: string[]): EntityResult {
  const typeName = (entity as { entity_type?: unknown } | null)?.entity_type;
  if (typeof typeName !== 'string' || !isEntityType(typeName)) {
    throw new BulkEntityError(`Entity type ${JSON.stringify(typeName)} does not exist.`, 'ENTITY_TYPE_NOT_FOUND');
  }
  const type: EntityType = typeName;
  const properties = readProperties((entity as { properties?: unknown }).properties);
  const changes = validateEntityWrite(ctx, type, operation, properties);

  let stored: EmsProperties;
  if (operation === 'CREATE') {
    stored = ctx.store.create(type, { ...defaultsFor(ctx, type, changes), ...changes });
  } else {
    stored = ctx.store.update(type, String(properties.Id), changes);
  }
  if (type === 'Request') {
    changedRequests.push(String(stored.Id));
  }
  return {
    entity: {
      entity_type: type,
      properties: { Id: stored.Id, LastUpdateTime: stored.LastUpdateTime },
      related_properties: {},
    },
    completion_status: 'OK',
  };
}

function defaultsFor(ctx: FakeContext, type: EntityType, changes: EmsProperties): EmsProperties {
  if (type === 'Request') {
    return { PhaseId: ctx.config.phases[0], Status: ctx.config.statuses[0] };
  }
  if (type === 'Person') {
    const name = [changes.FirstName, changes.LastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
    return { Name: name };
  }
  return {};
}

function failedResult(entity: unknown, error: BulkEntityError): EntityResult {
  const typeName = (entity as { entity_type?: unknown } | null)?.entity_type;
  const properties = (entity as { properties?: unknown } | null)?.properties;
  return {
    entity: {
      entity_type: typeof typeName === 'string' ? typeName : '',
      properties: typeof properties === 'object' && properties !== null ? (properties as EmsProperties) : {},
      related_properties: {},
    },
    completion_status: 'FAILED',
    errorDetails: { message: error.message, code: error.code },
  };
}

function readEndpoint(ctx: FakeContext, value: unknown, side: string): Record<string, string> {
  const entries = typeof value === 'object' && value !== null ? Object.entries(value) : [];
  if (entries.length !== 1 || !isEntityType(entries[0][0]) || !['string', 'number'].includes(typeof entries[0][1])) {
    throw new BulkEntityError(`"${side}" must be an object like {"Request": "<id>"}.`, 'INVALID_RELATIONSHIP');
  }
  const [type, id] = [entries[0][0] as EntityType, String(entries[0][1])];
  if (!ctx.store.current(type, id)) {
    throw new BulkEntityError(`"${side}" refers to ${type} ${id}, which does not exist.`, 'INVALID_REFERENCE');
  }
  return { [type]: id };
}

function writeRelationship(ctx: FakeContext, operation: string, relationship: unknown): RelationshipResult {
  try {
    const { name, firstEndpoint, secondEndpoint } = (relationship ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') {
      throw new BulkEntityError('The relationship has no "name".', 'INVALID_RELATIONSHIP');
    }
    const link: StoredRelationship = {
      name,
      firstEndpoint: readEndpoint(ctx, firstEndpoint, 'firstEndpoint'),
      secondEndpoint: readEndpoint(ctx, secondEndpoint, 'secondEndpoint'),
    };
    const sameLink = (other: StoredRelationship) => JSON.stringify(other) === JSON.stringify(link);
    if (operation === 'CREATE') {
      if (!ctx.store.relationships.some(sameLink)) {
        ctx.store.relationships.push(link);
      }
    } else if (operation === 'DELETE') {
      const index = ctx.store.relationships.findIndex(sameLink);
      if (index < 0) {
        throw new BulkEntityError(`Relationship ${name} between these records does not exist.`, 'RECORD_NOT_FOUND');
      }
      ctx.store.relationships.splice(index, 1);
    } else {
      throw new BulkEntityError('Relationships can only be created or deleted.', 'UNSUPPORTED_OPERATION');
    }
    return { relationship: link, completion_status: 'OK' };
  } catch (error) {
    if (error instanceof BulkEntityError) {
      return { relationship, completion_status: 'FAILED', errorDetails: { message: error.message, code: error.code } };
    }
    throw error;
  }
}

/** Routes `POST ems/bulk` (mounted under `/rest/{tenant}`). */
export function bulkRouter(ctx: FakeContext): Router {
  const router = Router();
  router.post('/ems/bulk', (req, res) => {
    const body = readJsonBody(res);
    const fault = ctx.faults.take(['bulk-failed'], req.method, exchangeOf(res).path);
    const injectedFailure = fault ? (fault.message ?? 'The change was rejected by a business rule.') : undefined;
    res.json(runBulk(ctx, body, actorOf(res), { injectedFailure }));
  });
  return router;
}
