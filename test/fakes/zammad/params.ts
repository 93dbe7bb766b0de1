import type { Request } from 'express';

import { unprocessable } from './errors';
import type { JsonObject } from './types';

/**
 * Parameter helpers. Rails merges query and body parameters (the body wins), casts
 * `"5"` to 5 for id columns and `"true"`/`"1"` to true for booleans. These helpers do
 * the same, so clients that send ids as strings work as they do against Zammad.
 */

export function requestParams(req: Request): JsonObject {
  const body = isObject(req.body) ? req.body : {};
  return { ...(req.query as JsonObject), ...body };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  return undefined;
}

/** Like Zammad's `response_expand?`: true for `true`, `"true"`, `1` and `"1"`. */
export function isFlagSet(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

export function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  return ['true', '1', 't', 'yes', 'on'].includes(String(value).toLowerCase());
}

export function optionalString(value: unknown): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  return typeof value === 'string' ? value : String(value);
}

/**
 * Finds an associated record from `<key>_id` or from `<key>` given by name, as Zammad's
 * `association_name_to_id_convert` does. Returns undefined when neither is present.
 */
export function resolveAssociation<T>(
  params: JsonObject,
  key: string,
  model: string,
  byId: (id: number) => T | undefined,
  byName: (name: string) => T | undefined,
): T | undefined {
  const idValue = params[`${key}_id`];
  if (idValue !== undefined && idValue !== null && idValue !== '') {
    const id = toId(idValue);
    const record = id === undefined ? undefined : byId(id);
    if (!record) {
      // NOTE: real Zammad fails here on the database foreign key; the status is 422
      // but the message text is our own.
      throw unprocessable(`Couldn't find ${model} with 'id'=${String(idValue)}`);
    }
    return record;
  }
  const name = params[key];
  if (name === undefined || name === null || name === '') {
    return undefined;
  }
  const record = typeof name === 'string' ? byName(name) : undefined;
  if (!record) {
    throw unprocessable(`No lookup value found for '${key}': ${JSON.stringify(name)}`);
  }
  return record;
}
