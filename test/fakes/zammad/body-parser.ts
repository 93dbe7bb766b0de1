import type { NextFunction, Request, Response } from 'express';

import { ZammadError } from './errors';
import type { JsonObject } from './types';

/**
 * Turns the raw body (a Buffer left by `express.raw`) into parameters the way Rails
 * does: JSON for `application/json`, nested form fields (`article[body]`, `tags[]`)
 * for `application/x-www-form-urlencoded`, nothing for other types. The raw bytes
 * stay in the request log.
 */
export function parseBody(req: Request, _res: Response, next: NextFunction): void {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const contentType = req.header('content-type') ?? '';
  req.body = {};
  if (raw.length === 0) {
    next();
    return;
  }
  if (/json/i.test(contentType)) {
    try {
      req.body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      // NOTE: Rails rejects unparsable JSON with 400, but this message text is our own.
      throw new ZammadError(400, `Invalid JSON in request body: ${(error as Error).message}`);
    }
  } else if (/application\/x-www-form-urlencoded/i.test(contentType)) {
    req.body = parseFormFields(raw.toString('utf8'));
  }
  next();
}

function parseFormFields(text: string): JsonObject {
  const result: JsonObject = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(name);
    const keys = match ? [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((part) => part[1])] : [name];
    assignField(result, keys, value);
  }
  return result;
}

/** Assigns `value` under keys such as `['article', 'body']`; a trailing `''` key appends to a list. */
function assignField(target: JsonObject, keys: string[], value: string): void {
  let node = target;
  for (const [index, key] of keys.entries()) {
    const next = keys[index + 1];
    if (next === undefined) {
      node[key] = value;
      return;
    }
    if (next === '') {
      const list = Array.isArray(node[key]) ? (node[key] as unknown[]) : [];
      list.push(value);
      node[key] = list;
      return;
    }
    const child = node[key];
    node[key] = typeof child === 'object' && child !== null && !Array.isArray(child) ? child : {};
    node = node[key] as JsonObject;
  }
}
