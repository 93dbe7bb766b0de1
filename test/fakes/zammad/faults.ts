import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { sendHtmlError, sendJson } from './http-responses';
import type { LoggedRequest } from './request-log';

/**
 * Fault kinds. `error` responds with a status and body instead of handling the
 * request. `latency` waits, then handles the request normally.
 * `drop-before-handling` closes the connection without handling the request.
 * `drop-after-commit` handles the request, so the write is stored and webhooks fire,
 * then closes the connection instead of sending the response.
 */
export type FaultKind = 'error' | 'latency' | 'drop-before-handling' | 'drop-after-commit';

export interface FaultRuleInput {
  /** HTTP method, or `*` (the default) for any. */
  method?: string;
  /**
   * Path pattern, for example `/api/v1/tickets/:id`. `:name` and `*` match one path
   * segment, `**` matches anything.
   */
  path: string;
  kind: FaultKind;
  /** Status for `error`; 500 by default. */
  status?: number;
  /** Error text; a standard text for the status by default. */
  message?: string;
  /**
   * Body of an `error`: `json` is Zammad's `{"error", "error_human"}`, `html` an HTML
   * error page as a proxy sends, `text` plain text (Zammad's 429 is `Retry later`).
   * Defaults: `text` for 429, `html` for 502 and 504, `json` otherwise.
   */
  format?: 'json' | 'html' | 'text';
  /** Adds `Retry-After` with this many seconds to an `error`. */
  retryAfterSeconds?: number;
  /** Delay before the fault (or the normal handling, for `latency`) in milliseconds. */
  latencyMs?: number;
  /** Applies to the next N matching requests; every matching request when omitted. */
  times?: number;
}

export interface FaultRule {
  id: number;
  method: string;
  path: string;
  kind: FaultKind;
  status: number;
  message: string | null;
  format: 'json' | 'html' | 'text' | null;
  retryAfterSeconds: number | null;
  latencyMs: number;
  /** Remaining uses, or null for no limit. */
  remaining: number | null;
  hits: number;
}

const STATUS_TEXTS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Authentication failed',
  403: 'Not authorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  422: 'Unprocessable Entity',
  429: 'Retry later',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Per-route fault rules for the Zammad API, checked in the order they were added. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: FaultRuleInput): FaultRule {
    if (!input.path || !['error', 'latency', 'drop-before-handling', 'drop-after-commit'].includes(input.kind)) {
      throw new Error(
        `Invalid fault rule: need "path" and a "kind" of error, latency, drop-before-handling or drop-after-commit, got ${JSON.stringify(input)}`,
      );
    }
    const rule: FaultRule = {
      id: this.nextId++,
      method: (input.method ?? '*').toUpperCase(),
      path: input.path,
      kind: input.kind,
      status: input.status ?? 500,
      message: input.message ?? null,
      format: input.format ?? null,
      retryAfterSeconds: input.retryAfterSeconds ?? null,
      latencyMs: input.latencyMs ?? 0,
      remaining: input.times ?? null,
      hits: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule and starts rule ids at 1 again. */
  clear(): void {
    this.rules = [];
    this.nextId = 1;
  }

  /** Finds the first rule for this request that has uses left, and uses it up once. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (candidate) =>
        (candidate.method === '*' || candidate.method === method.toUpperCase()) &&
        (candidate.remaining === null || candidate.remaining > 0) &&
        patternToRegExp(candidate.path).test(path),
    );
    if (!rule) {
      return undefined;
    }
    rule.hits += 1;
    if (rule.remaining !== null) {
      rule.remaining -= 1;
    }
    return rule;
  }

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const rule = this.take(req.method, req.originalUrl.split('?')[0]);
      if (!rule) {
        next();
        return;
      }
      const entry = res.locals.logEntry as LoggedRequest | undefined;
      if (entry) {
        entry.fault = rule.kind;
      }
      setTimeout(() => applyRule(rule, req, res, next, entry), rule.latencyMs);
    };
  }
}

function applyRule(rule: FaultRule, req: Request, res: Response, next: NextFunction, entry?: LoggedRequest): void {
  switch (rule.kind) {
    case 'latency':
      next();
      return;
    case 'drop-before-handling':
      markDropped(entry, null);
      req.socket.destroy();
      return;
    case 'drop-after-commit':
      dropInsteadOfAnswering(req, res, entry);
      next();
      return;
    case 'error':
      sendInjectedError(rule, res);
  }
}

function sendInjectedError(rule: FaultRule, res: Response): void {
  const message = rule.message ?? STATUS_TEXTS[rule.status] ?? 'Error';
  const format = rule.format ?? defaultFormat(rule.status);
  if (rule.retryAfterSeconds !== null) {
    res.setHeader('Retry-After', String(rule.retryAfterSeconds));
  }
  if (format === 'html') {
    sendHtmlError(res, rule.status, message);
  } else if (format === 'text') {
    res.status(rule.status).type('text/plain; charset=utf-8').send(`${message}\n`);
  } else {
    if (rule.status === 401 || rule.status === 403) {
      res.setHeader('X-Failure', message);
    }
    sendJson(res, rule.status, { error: message, error_human: message });
  }
}

function defaultFormat(status: number): 'json' | 'html' | 'text' {
  if (status === 429) {
    return 'text';
  }
  if (status === 502 || status === 504) {
    return 'html';
  }
  return 'json';
}

/** Lets the handler run to the end, then closes the socket where the response would be written. */
function dropInsteadOfAnswering(req: Request, res: Response, entry?: LoggedRequest): void {
  const socket = req.socket;
  res.writeHead = (() => res) as unknown as Response['writeHead'];
  res.write = (() => true) as Response['write'];
  res.end = (() => {
    markDropped(entry, res.statusCode);
    socket.destroy();
    return res;
  }) as Response['end'];
}

function markDropped(entry: LoggedRequest | undefined, status: number | null): void {
  if (entry) {
    entry.dropped = true;
    entry.status = status;
  }
}

function patternToRegExp(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment === '**') {
        return '.*';
      }
      if (segment === '*' || segment.startsWith(':')) {
        return '[^/]+';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}
