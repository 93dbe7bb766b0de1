import { Request } from 'express';

import { formatUuid, parseUuid } from './uuid';

/** Builds absolute API hyperlinks from the origin of the request being served. */
export class ApiUrls {
  constructor(readonly origin: string) {}

  /**
   * Express honours X-Forwarded-Proto and X-Forwarded-Host in `protocol` and `host`
   * only when `trust proxy` is set, which `TRUST_PROXY` controls.
   */
  static fromRequest(request: Request): ApiUrls {
    return new ApiUrls(`${request.protocol}://${request.host}`);
  }

  collection(path: string): string {
    return `${this.origin}/api/${path}/`;
  }

  detail(path: string, uuid: string): string {
    return `${this.origin}/api/${path}/${formatUuid(uuid)}/`;
  }

  /** Like `detail`, but null for a missing object, as hyperlinked fields render it. */
  optionalDetail(path: string, uuid: string | null | undefined): string | null {
    return uuid ? this.detail(path, uuid) : null;
  }

  /** The current request URL with some query parameters replaced; used for `Link` headers. */
  withQuery(request: Request, changes: Record<string, string | undefined>): string {
    const url = new URL(request.originalUrl, this.origin);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) url.searchParams.delete(key);
      else url.searchParams.set(key, value);
    }
    return url.toString();
  }
}

/**
 * Reads the UUID out of a hyperlink to `/api/<collection>/<uuid>/`. Any host is accepted,
 * because clients behind proxies see other origins; a bare UUID is accepted as well.
 */
export function uuidFromHyperlink(value: unknown, collection: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const direct = parseUuid(value);
  if (direct) return direct;
  let path: string;
  try {
    path = new URL(value.trim(), 'http://placeholder').pathname;
  } catch {
    return undefined;
  }
  const match = new RegExp(`/api/${escapeRegExp(collection)}/([^/]+)/?$`).exec(path);
  return match ? parseUuid(match[1]) : undefined;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
