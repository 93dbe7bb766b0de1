import { setTimeout as sleep } from 'node:timers/promises';

import { Logger } from '@nestjs/common';
import { Agent, Dispatcher, errors as undiciErrors, request } from 'undici';

import { stripNullCharacters } from '../../common/null-characters';
import { ZammadError } from './zammad.exception';
import type {
  ZammadArticle,
  ZammadArticleCreate,
  ZammadCondition,
  ZammadNamedRecord,
  ZammadOrganization,
  ZammadTicket,
  ZammadTicketCreate,
  ZammadUser,
  ZammadUserCreate,
} from './zammad.types';

export interface ZammadClientOptions {
  /** Zammad's base URL (`https://zammad.example.com`); `/api/v1` is appended unless present. */
  baseUrl: string;
  token: string;
  /** Limit for one request, from sending to the last body byte, in milliseconds. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Attempts of a GET on retryable failures; writes are never repeated here. */
  maxReadAttempts?: number;
  /** Maximum wait between GET attempts, in milliseconds; a longer `Retry-After` ends the attempts. */
  maxRetryWaitMs?: number;
  /** Undici dispatcher; a keep-alive agent of the client's own by default. */
  dispatcher?: Dispatcher;
}

type Query = Record<string, string | number | boolean | undefined>;

interface CallOptions {
  query?: Query;
  json?: unknown;
  /** Return the body bytes instead of parsing JSON. */
  binary?: boolean;
  signal?: AbortSignal;
}

/** Paging size of list and search calls; Zammad caps ticket lists at 100. */
export const ZAMMAD_PAGE_SIZE = 100;

const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Zammad REST API v1 over undici: token authentication (`Token token=`), JSON in and
 * out, a timeout per request, and errors as `ZammadError`. GETs are retried on 429,
 * 5xx, timeouts and network failures, honouring `Retry-After`. Writes are not retried,
 * because Zammad has no idempotency keys and the caller must look for the object first.
 */
export class ZammadClient {
  private readonly logger = new Logger(ZammadClient.name);
  private readonly apiUrl: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly maxReadAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: ZammadClientOptions) {
    this.apiUrl = apiUrlOf(options.baseUrl);
    this.authorization = `Token token=${options.token}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxReadAttempts = Math.max(1, options.maxReadAttempts ?? 3);
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 5_000;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 }, keepAliveTimeout: 10_000 });
  }

  /** Closes the client's own connections; a dispatcher passed in is left open. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  getCurrentUser(): Promise<ZammadUser> {
    return this.call('GET', '/users/me') as Promise<ZammadUser>;
  }

  getUser(id: number): Promise<ZammadUser> {
    return this.call('GET', `/users/${id}`) as Promise<ZammadUser>;
  }

  /** Full-text user search; the caller filters for exact matches, because Zammad also returns partial ones. */
  searchUsers(query: string): Promise<ZammadUser[]> {
    return this.list('GET', '/users/search', { query, limit: ZAMMAD_PAGE_SIZE }) as Promise<ZammadUser[]>;
  }

  listUsers(page: number, perPage = ZAMMAD_PAGE_SIZE): Promise<ZammadUser[]> {
    return this.list('GET', '/users', { page, per_page: perPage }) as Promise<ZammadUser[]>;
  }

  createUser(user: ZammadUserCreate): Promise<ZammadUser> {
    return this.call('POST', '/users', { json: user }) as Promise<ZammadUser>;
  }

  searchOrganizations(query: string): Promise<ZammadOrganization[]> {
    return this.list('GET', '/organizations/search', { query, limit: ZAMMAD_PAGE_SIZE }) as Promise<ZammadOrganization[]>;
  }

  createOrganization(name: string): Promise<ZammadOrganization> {
    return this.call('POST', '/organizations', { json: { name } }) as Promise<ZammadOrganization>;
  }

  listGroups(page: number): Promise<ZammadNamedRecord[]> {
    return this.list('GET', '/groups', { page, per_page: ZAMMAD_PAGE_SIZE }) as Promise<ZammadNamedRecord[]>;
  }

  listStates(): Promise<ZammadNamedRecord[]> {
    return this.list('GET', '/ticket_states', { per_page: 1000 }) as Promise<ZammadNamedRecord[]>;
  }

  listPriorities(): Promise<ZammadNamedRecord[]> {
    return this.list('GET', '/ticket_priorities', { per_page: 1000 }) as Promise<ZammadNamedRecord[]>;
  }

  createTicket(ticket: ZammadTicketCreate, signal?: AbortSignal): Promise<ZammadTicket> {
    return this.call('POST', '/tickets', { query: { expand: true }, json: ticket, signal }) as Promise<ZammadTicket>;
  }

  getTicket(id: number | string): Promise<ZammadTicket> {
    return this.call('GET', `/tickets/${id}`, { query: { expand: true } }) as Promise<ZammadTicket>;
  }

  updateTicket(id: number | string, changes: Record<string, unknown>): Promise<ZammadTicket> {
    return this.call('PUT', `/tickets/${id}`, { query: { expand: true }, json: changes }) as Promise<ZammadTicket>;
  }

  async deleteTicket(id: number | string): Promise<void> {
    await this.call('DELETE', `/tickets/${id}`);
  }

  /**
   * Condition search (`POST /tickets/search` with a selector), which Zammad runs on its
   * database, so it works without Elasticsearch and does not lag writes. Results come
   * with names (`expand=true`), sorted by `updated_at` then id, oldest first.
   */
  searchTickets(condition: ZammadCondition, page: number, perPage = ZAMMAD_PAGE_SIZE): Promise<ZammadTicket[]> {
    const json = { condition, page, per_page: perPage, sort_by: ['updated_at', 'id'], order_by: ['asc', 'asc'] };
    return this.list('POST', '/tickets/search', { expand: true }, json) as Promise<ZammadTicket[]>;
  }

  async getTicketTags(ticketId: number | string): Promise<string[]> {
    const body = (await this.call('GET', '/tags', { query: { object: 'Ticket', o_id: ticketId } })) as { tags?: unknown };
    return Array.isArray(body?.tags) ? body.tags.map(String) : [];
  }

  listArticles(ticketId: number | string): Promise<ZammadArticle[]> {
    return this.list('GET', `/ticket_articles/by_ticket/${ticketId}`) as Promise<ZammadArticle[]>;
  }

  getArticle(id: number | string): Promise<ZammadArticle> {
    return this.call('GET', `/ticket_articles/${id}`) as Promise<ZammadArticle>;
  }

  createArticle(article: ZammadArticleCreate, signal?: AbortSignal): Promise<ZammadArticle> {
    return this.call('POST', '/ticket_articles', { json: article, signal }) as Promise<ZammadArticle>;
  }

  async deleteArticle(id: number | string): Promise<void> {
    await this.call('DELETE', `/ticket_articles/${id}`);
  }

  downloadAttachment(ticketId: number | string, articleId: number | string, attachmentId: number | string): Promise<Buffer> {
    return this.call('GET', `/ticket_attachment/${ticketId}/${articleId}/${attachmentId}`, { binary: true }) as Promise<Buffer>;
  }

  private async list(method: string, path: string, query?: Query, json?: unknown): Promise<unknown[]> {
    const body = await this.call(method, path, { query, json });
    if (!Array.isArray(body)) {
      throw new ZammadError({ kind: 'invalid-response', method, path, status: 200, remoteMessage: 'expected a JSON array' });
    }
    return body;
  }

  private async call(method: string, path: string, options: CallOptions = {}): Promise<unknown> {
    const attempts = method === 'GET' ? this.maxReadAttempts : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.send(method, path, options);
      } catch (error) {
        const wait = attempt < attempts ? this.retryWaitMs(error, attempt) : undefined;
        if (wait === undefined) throw error;
        this.logger.warn(`Retrying ${method} ${path} in ${wait} ms after attempt ${attempt}: ${(error as Error).message}`);
        await sleep(wait, undefined, { signal: options.signal });
      }
    }
  }

  /** Wait before the next GET attempt, or undefined to give up. */
  private retryWaitMs(error: unknown, attempt: number): number | undefined {
    if (!(error instanceof ZammadError) || !error.retryable) return undefined;
    if (error.retryAfterSeconds !== undefined) {
      const wait = error.retryAfterSeconds * 1000;
      return wait <= this.maxRetryWaitMs ? wait : undefined;
    }
    const base = Math.min(this.maxRetryWaitMs, 200 * 2 ** (attempt - 1));
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  private async send(method: string, path: string, options: CallOptions): Promise<unknown> {
    const url = `${this.apiUrl}${path}${queryString(options.query)}`;
    const headers: Record<string, string> = {
      authorization: this.authorization,
      accept: options.binary ? '*/*' : 'application/json',
      'user-agent': 'Deskbridge',
    };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(options.json);
    }

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        signal,
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      return await this.readResponse(method, path, response, options.binary === true);
    } catch (error) {
      if (error instanceof ZammadError) throw error;
      throw this.transportError(method, path, error, timeout.aborted);
    }
  }

  private async readResponse(method: string, path: string, response: Dispatcher.ResponseData, binary: boolean): Promise<unknown> {
    const { statusCode } = response;
    if (statusCode < 200 || statusCode >= 300) {
      const text = await readLimited(response.body, ERROR_BODY_LIMIT);
      throw new ZammadError({
        kind: statusCode === 401 || statusCode === 403 ? 'auth' : 'http',
        method,
        path,
        status: statusCode,
        remoteMessage: errorMessageOf(text),
        retryAfterSeconds: parseRetryAfter(headerValue(response.headers['retry-after'])),
      });
    }
    const bytes = Buffer.from(await response.body.arrayBuffer());
    if (binary) return bytes;
    const text = bytes.toString('utf8').trim();
    if (text === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ZammadError({ kind: 'invalid-response', method, path, status: statusCode, remoteMessage: shorten(text), cause: error });
    }
    // Zammad stores U+0000 that an agent or a mail brought in, and our database cannot.
    return stripNullCharacters(parsed);
  }

  private transportError(method: string, path: string, error: unknown, timedOut: boolean): ZammadError {
    const isTimeout =
      timedOut ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError;
    const message = error instanceof Error ? error.message : String(error);
    return new ZammadError({
      kind: isTimeout ? 'timeout' : 'network',
      method,
      path,
      remoteMessage: isTimeout ? `no response within ${this.timeoutMs} ms` : message,
      cause: error,
    });
  }
}

/** Appends `/api/v1` to a base URL, unless the URL already ends with it. */
export function apiUrlOf(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  return /\/api\/v1$/.test(trimmed) ? trimmed : `${trimmed}/api/v1`;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Reads at most `limit` bytes of an error body and drops the rest. */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * Zammad's `error_human` (or `error`) from a JSON error body; for other bodies (an HTML
 * page from a proxy, Rack::Attack's `Retry later`) their text without tags, shortened.
 */
export function errorMessageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error_human?: unknown; error?: unknown };
    const message = body.error_human ?? body.error;
    if (typeof message === 'string' && message.trim() !== '') return shorten(message);
  } catch {
    // Not JSON: fall through to the plain text.
  }
  const plain = text
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? undefined : shorten(plain);
}

function shorten(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > 300 ? `${single.slice(0, 297)}...` : single;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds from a `Retry-After` header in seconds or as an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
