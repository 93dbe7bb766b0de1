import type { NextFunction, Request, Response } from 'express';

import { FakeClock } from './clock';
import { exchangeOf } from './http-exchange';

/** One request as the fake received it, for tests that assert exact wire shapes. */
export interface RequestLogEntry {
  seq: number;
  /** Arrival time in epoch milliseconds on the fake's clock. */
  time: number;
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  /** Path with repeated slashes collapsed, as routing and fault rules see it. */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Response status, or undefined when the connection was closed without a response. */
  status?: number;
  /** Login of the token's user, when the token was valid. */
  login?: string;
  /** Kind of injected fault that handled the request. */
  fault?: string;
}

/** Request log entry as the control API returns it: the body as UTF-8 text and as base64. */
export type RequestLogEntryJson = Omit<RequestLogEntry, 'body'> & { body: string; bodyBase64: string };

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private sequence = 0;

  constructor(private readonly clock: FakeClock) {}

  start(req: Request, path: string, body: Buffer): RequestLogEntry {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of new URL(req.originalUrl, 'http://fake.invalid').searchParams) {
      const previous = query[name];
      if (previous === undefined) {
        query[name] = value;
      } else {
        query[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
      }
    }
    this.sequence += 1;
    const entry: RequestLogEntry = {
      seq: this.sequence,
      time: this.clock.now(),
      method: req.method,
      url: req.originalUrl,
      path,
      query,
      headers: { ...req.headers },
      body,
    };
    this.entries.push(entry);
    return entry;
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }

  static toJson(entry: RequestLogEntry): RequestLogEntryJson {
    return { ...entry, body: entry.body.toString('utf8'), bodyBase64: entry.body.toString('base64') };
  }
}

/**
 * Reads the whole body (up to `limitBytes`, else 413) and logs the request.
 * Repeated slashes in the path are collapsed, so `/rest/1//ems` routes like
 * `/rest/1/ems`. The entry gets its status, user and fault when the exchange ends.
 */
export function captureMiddleware(log: RequestLog, limitBytes: () => number) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limitBytes()) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk as Buffer);
    }
    const [pathPart, ...queryParts] = req.url.split('?');
    const path = pathPart.replace(/\/{2,}/g, '/');
    req.url = [path, ...queryParts].join('?');

    const exchange = exchangeOf(res);
    exchange.rawBody = Buffer.concat(chunks);
    exchange.path = path;
    const entry = log.start(req, path, exchange.rawBody);
    res.on('close', () => {
      entry.status = res.writableFinished ? res.statusCode : undefined;
      entry.login = exchange.actor?.login;
      entry.fault = exchange.fault;
    });
    if (tooLarge) {
      // The entry keeps only the bytes read before the limit.
      res.status(413).set('Connection', 'close').type('text/plain').send(`Request body exceeds ${limitBytes()} bytes.`);
      return;
    }
    next();
  };
}
