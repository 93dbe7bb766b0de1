import { STATUS_CODES } from 'node:http';

import type { NextFunction, Request, Response } from 'express';

import { FakeInputError } from './errors';
import { exchangeOf } from './http-exchange';

/**
 * Kinds of injected faults:
 * - `status`: answer with `status` (and `body`, or an HTML error page when `html`) without running the route;
 * - `latency`: wait `ms` before handling, then handle normally (adds to any other fault);
 * - `drop`: close the connection before handling, so nothing is written;
 * - `drop-after-commit`: run the route (the write is stored), then close the connection without a response;
 * - `expire-token`: the next matching request with a valid token expires that token and gets 401;
 * - `bulk-failed`: the next matching `ems/bulk` call commits nothing and returns HTTP 200 with every entity FAILED.
 */
export const FAULT_KINDS = ['status', 'latency', 'drop', 'drop-after-commit', 'expire-token', 'bulk-failed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Settings of one fault kind; each kind reads only its own members. */
export interface FaultSettings {
  /** Kind `status`: the HTTP status to return. */
  status?: number;
  /** Kind `status`: the response body; default a JSON message. */
  body?: string;
  /** Kind `status`: Content-Type of `body`. */
  contentType?: string;
  /** Kind `status`: return an HTML error page instead of JSON. */
  html?: boolean;
  /** Kind `status`: value of a `Retry-After` header; none is sent without it. */
  retryAfterSeconds?: number;
  /** Kind `latency`: the delay in milliseconds. */
  ms?: number;
  /** Kind `bulk-failed`: the `errorDetails.message` of every FAILED entity. */
  message?: string;
}

export interface FaultRule extends FaultSettings {
  id: string;
  kind: FaultKind;
  /** `*` for any method, `WRITE` for POST, PUT, PATCH and DELETE, or one HTTP method. */
  method: string;
  // Glob on the request path, where `*` matches any run of characters, e.g. `*/ems/bulk`.
  path: string;
  /** Matching requests still to be faulted, or null for every one. */
  remaining: number | null;
  /** Matching requests still to let through before the fault starts. */
  skip: number;
}

/** Fault rule as a test or the control API supplies it; `add` fills in the defaults. */
export interface FaultRuleInput extends FaultSettings {
  kind: FaultKind;
  /** Default `*`; `WRITE` for expire-token; `POST` for bulk-failed. */
  method?: string;
  /** Default `*` (any path); for bulk-failed, any path ending in `/ems/bulk`. */
  path?: string;
  /** Fault only the next `times` matching requests; omitted faults every one. */
  times?: number;
  /** Let this many matching requests through first. */
  skip?: number;
}

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function optionalInteger(input: Record<string, unknown>, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = input[key];
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new FakeInputError(`Fault "${key}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return value as number;
}

function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value !== undefined && typeof value !== 'string') {
    throw new FakeInputError(`Fault "${key}" must be a string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Fault rules in the order they were added; each request consumes the first rule of each kind group it matches. */
export class FaultRegistry {
  private rules: FaultRule[] = [];
  private sequence = 0;

  /** Validates and adds a rule; raises FakeInputError naming the first invalid member. */
  add(input: unknown): FaultRule {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new FakeInputError('A fault rule must be a JSON object.');
    }
    const fields = input as Record<string, unknown>;
    const kind = fields.kind;
    if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new FakeInputError(`Fault "kind" must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(kind)}.`);
    }
    const rule: FaultRule = {
      id: '',
      kind: kind as FaultKind,
      method: (optionalString(fields, 'method') ?? defaultMethod(kind as FaultKind)).toUpperCase(),
      path: optionalString(fields, 'path') ?? (kind === 'bulk-failed' ? '*/ems/bulk' : '*'),
      remaining: optionalInteger(fields, 'times', 1) ?? null,
      skip: optionalInteger(fields, 'skip', 0) ?? 0,
      status: optionalInteger(fields, 'status', 100, 599),
      body: optionalString(fields, 'body'),
      contentType: optionalString(fields, 'contentType'),
      html: fields.html === undefined ? undefined : fields.html === true,
      retryAfterSeconds: optionalInteger(fields, 'retryAfterSeconds', 0),
      ms: optionalInteger(fields, 'ms', 0),
      message: optionalString(fields, 'message'),
    };
    if (rule.kind === 'status' && rule.status === undefined) {
      throw new FakeInputError('A fault of kind "status" needs "status" (an HTTP status code).');
    }
    if (rule.kind === 'latency' && rule.ms === undefined) {
      throw new FakeInputError('A fault of kind "latency" needs "ms" (milliseconds).');
    }
    this.sequence += 1;
    rule.id = `fault-${this.sequence}`;
    this.rules.push(rule);
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes and returns the first active rule of the given kinds that matches the request, if any. */
  take(kinds: readonly FaultKind[], method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (kinds.includes(rule.kind) && this.consume(rule, method, path)) {
        return { ...rule };
      }
    }
    return undefined;
  }

  /** Consumes every matching latency rule and returns their total delay in milliseconds. */
  takeLatency(method: string, path: string): number {
    let total = 0;
    for (const rule of this.rules) {
      if (rule.kind === 'latency' && this.consume(rule, method, path)) {
        total += rule.ms ?? 0;
      }
    }
    return total;
  }

  private consume(rule: FaultRule, method: string, path: string): boolean {
    const methodMatches =
      rule.method === '*' || rule.method === method || (rule.method === 'WRITE' && WRITE_METHODS.includes(method));
    if (!methodMatches || !globToRegExp(rule.path).test(path)) {
      return false;
    }
    if (rule.skip > 0) {
      rule.skip -= 1;
      return false;
    }
    if (rule.remaining !== null) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) {
        this.rules = this.rules.filter((other) => other !== rule);
      }
    }
    return true;
  }
}

function defaultMethod(kind: FaultKind): string {
  if (kind === 'expire-token') return 'WRITE';
  if (kind === 'bulk-failed') return 'POST';
  return '*';
}

function errorPage(status: number): string {
  const reason = STATUS_CODES[status] ?? 'Error';
  return `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><h1>${reason}</h1></body></html>\n`;
}

/** Applies latency, status, drop and drop-after-commit faults to every REST and login request. */
export function faultMiddleware(registry: FaultRegistry) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const exchange = exchangeOf(res);
    const latency = registry.takeLatency(req.method, exchange.path);
    if (latency > 0) {
      await new Promise((resolve) => setTimeout(resolve, latency));
    }
    const rule = registry.take(['status', 'drop', 'drop-after-commit'], req.method, exchange.path);
    if (!rule) {
      next();
      return;
    }
    exchange.fault = rule.kind;
    if (rule.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (rule.kind === 'drop-after-commit') {
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
      next();
      return;
    }
    const status = rule.status ?? 500;
    if (rule.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(rule.retryAfterSeconds));
    }
    if (rule.html) {
      res.status(status).type(rule.contentType ?? 'text/html').send(rule.body ?? errorPage(status));
    } else if (rule.body !== undefined) {
      res.status(status).type(rule.contentType ?? 'application/json').send(rule.body);
    } else {
      res.status(status).json({ message: `Injected fault: HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim() });
    }
  };
}
