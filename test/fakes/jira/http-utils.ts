/** Helpers shared by the route modules: request body and query parsing, and the per-request context in `res.locals`. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { FakeJiraCore } from './core';
import { JiraHttpError, platformError } from './errors';
import type { UserRecord } from './seed';
import type { ViewContext } from './view-context';

/** What the middleware chain stores in `res.locals` for the route handlers. */
export interface RequestState {
  user: UserRecord;
  /** Renderer whose `self` links point at the surface the client called (site root or OAuth gateway). */
  view: ViewContext;
}

export function stateOf(res: Response): RequestState {
  return res.locals as RequestState;
}

/** Returns the raw request body, which `express.raw` stores for every content type. */
export function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Parses the JSON body as Jira does: it must be JSON typed and well formed. */
export function jsonBody(req: Request): unknown {
  const raw = rawBody(req);
  if (raw.length === 0) {
    throw platformError(400, ['No content to map to Object due to end of input']);
  }
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/application\/json/i.test(contentType)) {
    throw new JiraHttpError(415, { kind: 'text', text: 'Unsupported Media Type' });
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw platformError(400, [`Unexpected character in the request body: ${detail}`]);
  }
}

/** Like `jsonBody`, but an empty body yields `undefined` instead of an error. */
export function optionalJsonBody(req: Request): unknown {
  return rawBody(req).length === 0 ? undefined : jsonBody(req);
}

export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (Array.isArray(value)) {
    return value.map(String).join(',');
  }
  return value === undefined ? undefined : String(value);
}

/** Reads a non-negative integer query parameter, falling back to `fallback` when absent. */
export function queryInteger(req: Request, name: string, fallback: number): number {
  const value = queryString(req, name);
  if (value === undefined || value === '') {
    return fallback;
  }
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw platformError(400, [`The value '${value}' of the '${name}' parameter is not a valid number.`]);
  }
  return number;
}

export function queryBoolean(req: Request, name: string, fallback: boolean): boolean {
  const value = queryString(req, name);
  return value === undefined ? fallback : value.toLowerCase() === 'true';
}

/** Wraps a handler so thrown errors and rejected promises reach the error handler. */
export function handle(handler: (req: Request, res: Response) => unknown): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = handler(req, res);
      if (result instanceof Promise) {
        result.catch(next);
      }
    } catch (error) {
      next(error);
    }
  };
}

/** Route parameters are always strings in the routes this fake declares. */
export function param(req: Request, name: string): string {
  return String(req.params[name]);
}

/** Everything a route module needs to register its handlers. */
export interface RouteContext {
  core: FakeJiraCore;
}
