/**
 * Injected failures of API routes: a forced status with Jira's error body,
 * `Retry-After`, latency, a dropped connection, and the "committed, then lost"
 * case where the write happens but the client never gets the response.
 */
import type { NextFunction, Request, Response } from 'express';

import { htmlErrorPage, sendErrorBody, type ErrorBody } from './errors';

export interface RouteFaultInput {
  /** HTTP method to match. Without it every method matches. */
  method?: string;
  /**
   * Path to match, without the `/ex/jira/{cloudId}` prefix. In a string, `*`
   * matches within one segment, `**` across segments and `{name}` one
   * segment. A RegExp is tested as is.
   */
  path: string | RegExp;
  /** Status of the response. */
  status?: number;
  /** Body of the response: a JSON value, or text for `bodyFormat` `text` and `html`. Defaults to Jira's envelope. */
  body?: unknown;
  bodyFormat?: 'jira' | 'json' | 'text' | 'html';
  /** Message of the default Jira envelope. */
  message?: string;
  headers?: Record<string, string>;
  /** Value of `Retry-After`: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /** Wait this long before handling the request. */
  latencyMs?: number;
  /** Close the connection without a response. */
  dropConnection?: boolean;
  /** Run the request first (the write is committed and webhooks fire), then apply `status` or `dropConnection`. */
  afterCommit?: boolean;
  /** How many matching requests to affect. Without it the fault stays until cleared. */
  times?: number;
}

interface RouteFault extends RouteFaultInput {
  id: number;
  matcher: RegExp;
  remaining: number | null;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad request.',
  401: 'Client must be authenticated to access this resource.',
  403: 'You do not have permission to perform this operation.',
  404: 'The requested resource does not exist.',
  409: 'The resource was changed by another request.',
  413: 'The request entity is too large.',
  422: 'The request could not be processed.',
  429: 'Rate limit exceeded.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
  504: 'Gateway timeout.',
};

function compilePattern(path: string | RegExp): RegExp {
  if (path instanceof RegExp) {
    return path;
  }
  let pattern = '';
  for (let index = 0; index < path.length; index++) {
    const char = path[index];
    if (char === '*' && path[index + 1] === '*') {
      pattern += '.*';
      index++;
    } else if (char === '*') {
      pattern += '[^/]*';
    } else if (char === '{') {
      const close = path.indexOf('}', index);
      pattern += '[^/]+';
      index = close === -1 ? path.length : close;
    } else {
      pattern += char.replace(/[.+?^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${pattern}$`);
}

/** Strips the OAuth gateway prefix so one pattern covers both surfaces. */
export function canonicalPath(path: string): string {
  return path.replace(/^\/ex\/jira\/[^/]+/, '') || '/';
}

function errorBodyOf(fault: RouteFault, status: number): ErrorBody {
  switch (fault.bodyFormat ?? 'jira') {
    case 'json':
      return { kind: 'json', value: fault.body ?? {} };
    case 'text':
      return { kind: 'text', text: String(fault.body ?? DEFAULT_MESSAGES[status] ?? 'Error') };
    case 'html':
      return { kind: 'html', html: String(fault.body ?? htmlErrorPage(status, DEFAULT_MESSAGES[status] ?? 'Error')) };
    case 'jira':
      return { kind: 'platform', errorMessages: [fault.message ?? DEFAULT_MESSAGES[status] ?? 'Error'], errors: {} };
  }
}

function faultHeaders(fault: RouteFault, status: number, nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) {
    headers['Retry-After'] = String(fault.retryAfter);
  }
  if (status === 429) {
    const seconds = typeof fault.retryAfter === 'number' ? fault.retryAfter : 5;
    headers['X-RateLimit-Limit'] = '100';
    headers['X-RateLimit-Remaining'] = '0';
    headers['X-RateLimit-Reset'] = new Date(nowMs + seconds * 1000).toISOString();
    headers['RateLimit-Reason'] = 'jira-quota-based';
  }
  return { ...headers, ...fault.headers };
}

export class FaultInjector {
  private faults: RouteFault[] = [];
  private nextId = 1;

  add(input: RouteFaultInput): number {
    const fault: RouteFault = { ...input, id: this.nextId++, matcher: compilePattern(input.path), remaining: input.times ?? null };
    this.faults.push(fault);
    return fault.id;
  }

  list(): RouteFaultInput[] {
    return this.faults.map(({ matcher: _matcher, remaining, ...fault }) => ({ ...fault, times: remaining ?? undefined }));
  }

  remove(id: number): void {
    this.faults = this.faults.filter((fault) => fault.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the first fault matching the request and counts it down. */
  private take(method: string, path: string): RouteFault | undefined {
    const fault = this.faults.find(
      (candidate) => (!candidate.method || candidate.method.toUpperCase() === method) && candidate.matcher.test(path),
    );
    if (fault && fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) {
        this.remove(fault.id);
      }
    }
    return fault;
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const fault = this.take(req.method, canonicalPath(req.path));
      if (!fault) {
        next();
        return;
      }
      const act = () => {
        if (fault.afterCommit) {
          replaceAnswer(req, res, fault);
          next();
        } else if (fault.dropConnection) {
          req.socket.destroy();
        } else if (fault.status !== undefined) {
          sendErrorBody(res, fault.status, errorBodyOf(fault, fault.status), faultHeaders(fault, fault.status, Date.now()));
        } else {
          next();
        }
      };
      if (fault.latencyMs) {
        setTimeout(act, fault.latencyMs);
      } else {
        act();
      }
    };
  }
}

/** Lets the handler run, then swaps its response for the fault's status or a dropped connection. */
function replaceAnswer(req: Request, res: Response, fault: RouteFault): void {
  const originalEnd = res.end.bind(res) as (body?: unknown) => Response;
  const patched = () => {
    if (fault.dropConnection || fault.status === undefined) {
      req.socket.destroy();
      return res;
    }
    for (const name of res.getHeaderNames()) {
      res.removeHeader(name);
    }
    const body = errorBodyOf(fault, fault.status);
    res.end = originalEnd as Response['end'];
    sendErrorBody(res, fault.status, body, faultHeaders(fault, fault.status, Date.now()));
    return res;
  };
  res.end = patched as unknown as Response['end'];
}
