import type { Request, Response } from 'express';

import { SmaxHttpError } from './errors';
import { Actor } from './smax-types';

/** Per-request state the fake's middleware hands to the route handlers. */
export interface ExchangeState {
  rawBody: Buffer;
  /** Request path with repeated slashes collapsed; fault rules match against it. */
  path: string;
  actor?: Actor;
  /** Kind of the injected fault that handled this request, if any. */
  fault?: string;
}

export function exchangeOf(res: Response): ExchangeState {
  const locals = res.locals as { smax?: ExchangeState };
  locals.smax ??= { rawBody: Buffer.alloc(0), path: '' };
  return locals.smax;
}

/** Returns the authenticated user of a REST request; the auth middleware sets it before any REST route runs. */
export function actorOf(res: Response): Actor {
  const actor = exchangeOf(res).actor;
  if (!actor) {
    throw new Error('REST route reached without an authenticated user');
  }
  return actor;
}

/** Parses the raw request body as JSON; malformed JSON is a 400, as on SMAX. */
export function readJsonBody(res: Response): unknown {
  const text = exchangeOf(res).rawBody.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SmaxHttpError(400, `Malformed JSON in request body: ${(error as Error).message}`);
  }
}

/** Returns the first value of a query parameter, or undefined when it is absent. */
export function queryValue(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Returns a route parameter; Express 5 types them as string or string list. */
export function routeParam(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
