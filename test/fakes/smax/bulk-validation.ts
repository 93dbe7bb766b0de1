import { EntityType, hasProperty, schemaOf } from './entity-schema';
import { FakeContext } from './fake-context';
import { checkRequestAttachments } from './request-attachments';
import { EmsProperties, EmsValue } from './smax-types';

/** A business-rule violation that SMAX reports as a FAILED entity inside an HTTP 200 bulk response. */
export class BulkEntityError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export type BulkOperation = 'CREATE' | 'UPDATE';

function isScalar(value: unknown): value is EmsValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Checks that `properties` is an object of scalar values and returns it typed. */
export function readProperties(value: unknown): EmsProperties {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BulkEntityError('The entity has no "properties" object.', 'INVALID_ENTITY');
  }
  for (const [name, item] of Object.entries(value)) {
    if (!isScalar(item)) {
      throw new BulkEntityError(
        `Property "${name}" must be a string, number, boolean or null; complex values are sent as JSON strings.`,
        'INVALID_PROPERTY_VALUE',
      );
    }
  }
  return value as EmsProperties;
}

/** Returns whether a Request is in one of the configured closed phases. */
export function isClosedRequest(ctx: FakeContext, request: EmsProperties): boolean {
  return typeof request.PhaseId === 'string' && ctx.config.closedPhases.includes(request.PhaseId);
}

/**
 * Validates one bulk entity and returns the changes to store: property names
 * and read-only properties, mandatory values, enumerations, references, the
 * title length, `RequestAttachments`, closed Requests and (when configured)
 * the optimistic-concurrency `LastUpdateTime`. Raises BulkEntityError.
 */
export function validateEntityWrite(
  ctx: FakeContext,
  type: EntityType,
  operation: BulkOperation,
  properties: EmsProperties,
): EmsProperties {
  const schema = schemaOf(type);
  const changes: EmsProperties = {};
  for (const [name, value] of Object.entries(properties)) {
    if (!hasProperty(type, name)) {
      throw new BulkEntityError(`Property "${name}" does not exist on entity type ${type}.`, 'UNKNOWN_PROPERTY');
    }
    const updateKey = operation === 'UPDATE' && (name === 'Id' || name === 'LastUpdateTime');
    if (schema.readOnly.has(name) && !updateKey) {
      throw new BulkEntityError(`Property "${name}" of ${type} is read-only.`, 'READ_ONLY_PROPERTY');
    }
    if (!updateKey) {
      changes[name] = value;
    }
  }

  if (operation === 'CREATE') {
    for (const name of schema.mandatoryOnCreate) {
      if (changes[name] === undefined || changes[name] === null || changes[name] === '') {
        throw new BulkEntityError(`Mandatory property "${name}" of ${type} is missing.`, 'MANDATORY_PROPERTY_MISSING');
      }
    }
  } else {
    checkUpdateTarget(ctx, type, properties);
  }

  checkValues(ctx, type, changes);
  return changes;
}

function checkUpdateTarget(ctx: FakeContext, type: EntityType, properties: EmsProperties): void {
  const id = properties.Id;
  if (id === undefined || id === null || id === '') {
    throw new BulkEntityError(`An UPDATE of ${type} needs the record's "Id".`, 'MANDATORY_PROPERTY_MISSING');
  }
  const current = ctx.store.current(type, String(id));
  if (!current) {
    throw new BulkEntityError(`${type} with Id ${id} was not found.`, 'RECORD_NOT_FOUND');
  }
  if (type === 'Request' && isClosedRequest(ctx, current)) {
    throw new BulkEntityError(
      `Request ${id} is closed (PhaseId ${String(current.PhaseId)}) and cannot be modified.`,
      'RECORD_CLOSED',
    );
  }
  if (ctx.config.requireLastUpdateTime && properties.LastUpdateTime !== current.LastUpdateTime) {
    throw new BulkEntityError(
      `${type} ${id} was changed by someone else: LastUpdateTime ${String(properties.LastUpdateTime)} ` +
        `does not match the stored ${String(current.LastUpdateTime)}.`,
      'CONCURRENT_UPDATE',
    );
  }
}

function checkValues(ctx: FakeContext, type: EntityType, changes: EmsProperties): void {
  const references = schemaOf(type).references;
  for (const [name, target] of Object.entries(references)) {
    const value = changes[name];
    if (value === undefined || value === null || value === '') {
      continue;
    }
    if (!ctx.store.current(target, String(value))) {
      throw new BulkEntityError(`"${name}" refers to ${target} ${String(value)}, which does not exist.`, 'INVALID_REFERENCE');
    }
    changes[name] = String(value);
  }
  if (type !== 'Request') {
    return;
  }
  checkEnumeration('PhaseId', changes.PhaseId, ctx.config.phases);
  checkEnumeration('Status', changes.Status, ctx.config.statuses);
  const label = changes.DisplayLabel;
  if (label !== undefined && label !== null) {
    if (typeof label !== 'string') {
      throw new BulkEntityError('"DisplayLabel" must be a string.', 'INVALID_PROPERTY_VALUE');
    }
    if (label.length > ctx.config.displayLabelMaxLength) {
      throw new BulkEntityError(
        `"DisplayLabel" has ${label.length} characters; the maximum is ${ctx.config.displayLabelMaxLength}.`,
        'VALUE_TOO_LONG',
      );
    }
  }
  if (changes.RequestAttachments !== undefined && changes.RequestAttachments !== null) {
    const problem = checkRequestAttachments(changes.RequestAttachments, ctx.store.files);
    if (problem) {
      throw new BulkEntityError(problem, 'INVALID_PROPERTY_VALUE');
    }
  }
}

function checkEnumeration(name: string, value: EmsValue | undefined, allowed: readonly string[]): void {
  if (value !== undefined && value !== null && !allowed.includes(String(value))) {
    throw new BulkEntityError(
      `"${String(value)}" is not a valid ${name}; allowed values: ${allowed.join(', ')}.`,
      'INVALID_ENUM_VALUE',
    );
  }
}
