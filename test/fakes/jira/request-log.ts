/** Log of every API request the fake receives (control calls under `/__fake/` excluded), for tests to assert wire shapes. */
import type { NextFunction, Request, Response } from 'express';

import { rawBody } from './http-utils';
import { multipartBoundary, parseMultipart } from './multipart';

export interface LoggedMultipartPart {
  name: string;
  filename?: string;
  filenameEncoding?: 'raw' | 'rfc2231';
  contentType?: string;
  size: number;
}

export interface LoggedRequest {
  sequence: number;
  /** Real time the request arrived, epoch milliseconds. */
  receivedAt: number;
  method: string;
  /** Path as called, including any `/ex/jira/{cloudId}` prefix, without the query string. */
  path: string;
  query: Record<string, unknown>;
  /** Headers with lower-case names, as Node delivers them. Credentials are kept. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  /** The body decoded as UTF-8. */
  rawBody: string;
  multipart?: LoggedMultipartPart[];
  /** Status of the response, absent while the request runs or when the connection was dropped. */
  status?: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private sequence = 0;

  list(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }

  /** Express middleware that records the request and, once the response is sent, its status. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const raw = rawBody(req);
      const entry: LoggedRequest = {
        sequence: ++this.sequence,
        receivedAt: Date.now(),
        method: req.method,
        path: req.path,
        query: { ...req.query },
        headers: { ...req.headers },
        body: parseJsonQuietly(raw, req.headers['content-type']),
        rawBody: raw.toString('utf8'),
      };
      const boundary = multipartBoundary(req.headers['content-type']);
      if (boundary) {
        entry.multipart = parseMultipart(raw, boundary)?.map((part) => ({
          name: part.name,
          filename: part.filename,
          filenameEncoding: part.filenameEncoding,
          contentType: part.contentType,
          size: part.data.length,
        }));
      }
      this.entries.push(entry);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      next();
    };
  }
}

function parseJsonQuietly(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0 || !/json/i.test(contentType ?? '')) {
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
