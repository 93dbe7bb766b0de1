import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { FakeClock } from './clock';

/** One request received on the Zammad API, with its raw body and the response status. */
export interface LoggedRequest {
  sequence: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string, as sent. */
  url: string;
  query: Record<string, unknown>;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  receivedAt: string;
  /** Response status, or the status the fake would have sent before a dropped connection. */
  status: number | null;
  /** True when a fault closed the connection without a response. */
  dropped: boolean;
  /** Kind of the injected fault applied to this request, if any. */
  fault: string | null;
}

export interface RequestFilter {
  method?: string;
  /** Exact path, or a regular expression tested against it. */
  path?: string | RegExp;
}

/** Record of every API request, in arrival order. Control routes under `/__fake/` are not recorded. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private sequence = 0;

  constructor(private readonly clock: FakeClock) {}

  list(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries.filter((entry) => {
      if (filter.method && entry.method !== filter.method.toUpperCase()) {
        return false;
      }
      if (filter.path instanceof RegExp) {
        return filter.path.test(entry.path);
      }
      return filter.path === undefined || entry.path === filter.path;
    });
  }

  clear(): void {
    this.entries = [];
  }

  /** Express middleware; expects the raw body as a Buffer in `req.body`. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      this.sequence += 1;
      const entry: LoggedRequest = {
        sequence: this.sequence,
        method: req.method,
        path: req.path,
        url: req.originalUrl,
        query: { ...(req.query as Record<string, unknown>) },
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
        ),
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        receivedAt: this.clock.timestamp(),
        status: null,
        dropped: false,
        fault: null,
      };
      this.entries.push(entry);
      res.locals.logEntry = entry;
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      next();
    };
  }
}

/** JSON form of a logged request for the control API: the body as UTF-8 text and as base64. */
export function describeLoggedRequest(entry: LoggedRequest): Record<string, unknown> {
  const { body, ...rest } = entry;
  return { ...rest, bodyText: body.toString('utf8'), bodyBase64: body.toString('base64') };
}
