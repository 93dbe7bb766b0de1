import { Logger } from '@nestjs/common';
import { Agent, Dispatcher, request } from 'undici';

import { parseJsonWithoutNullCharacters, stripNullCharacters } from '../../common/null-characters';
import type { JiraAuth } from './jira-auth';
import { JiraError, JiraErrorKind } from './jira.exception';

export type QueryValue = string | number | boolean | string[] | undefined | null;

export interface JiraHttpOptions {
  /** Site or gateway base, e.g. `https://acme.atlassian.net` or `https://api.atlassian.com/ex/jira/<cloudId>`. */
  baseUrl: string;
  /** Undefined sends no credentials, so every call fails as Jira rejects anonymous callers. */
  auth: JiraAuth | undefined;
  /** Verify the server's TLS certificate. */
  verifySsl: boolean;
  /** Time one attempt may take, headers and body included. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per call, the first included. Default 3. */
  maxAttempts?: number;
  /** Maximum wait before a retry; a longer `Retry-After` fails the call as retryable instead. Default 30 s. */
  maxRetryWaitMs?: number;
  /** First back-off wait; it doubles per attempt, with up to 50 % random jitter added. Default 500 ms. */
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface JiraRequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType`; for multipart uploads. */
  body?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Whether the call may be repeated after a timeout, a dropped connection or a 5xx.
   * Defaults to true for GET, PUT and DELETE. A POST that creates something must not be
   * repeated blindly, so it is retried only on 429, which Jira sends before doing any work.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface JiraDownload {
  content: Buffer;
  contentType: string | undefined;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
const MAX_REDIRECTS = 5;
const MAX_MESSAGE_LENGTH = 500;

/**
 * HTTP transport to Jira over undici: authentication, per-attempt timeouts, TLS settings,
 * retries with back-off (`Retry-After` on 429 and 5xx), and Jira's error bodies turned
 * into `JiraError` with the auth method named on 401 and 403.
 */
export class JiraHttp {
  private readonly logger = new Logger(JiraHttp.name);
  private readonly baseUrl: string;
  private readonly dispatcher: Agent;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly backoffBaseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: JiraHttpOptions) {
    this.baseUrl = this.normalizeBaseUrl(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 30_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: options.verifySsl } });
  }

  get auth(): JiraAuth | undefined {
    return this.options.auth;
  }

  /** Base URL without a trailing slash. */
  get base(): string {
    return this.baseUrl;
  }

  /**
   * Sends the request and returns the parsed JSON body, or undefined for an empty one.
   * U+0000 is removed from every string, because PostgreSQL cannot store it.
   */
  async request<T>(options: JiraRequestOptions): Promise<T> {
    const response = await this.send(options);
    if (response.body.length === 0) return undefined as T;
    const text = response.body.toString('utf8');
    try {
      return parseJsonWithoutNullCharacters(text) as T;
    } catch (error) {
      throw new JiraError({
        kind: 'invalid-response',
        method: options.method,
        path: options.path,
        status: response.status,
        remoteMessage: summarizeText(stripNullCharacters(text), response.contentType),
        cause: error,
      });
    }
  }

  /**
   * Downloads attachment bytes from an absolute URL. Redirects are followed, and the
   * `Authorization` header goes only to the Jira origin, so a Cloud redirect to the media
   * host does not leak the credentials.
   */
  async download(url: string, signal?: AbortSignal): Promise<JiraDownload> {
    const origin = new URL(this.baseUrl).origin;
    let target = new URL(url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const sameOrigin = target.origin === origin;
      const path = target.pathname;
      const response = await this.send({
        method: 'GET',
        path,
        absoluteUrl: target.toString(),
        withAuth: sameOrigin,
        acceptRedirect: true,
        signal,
      });
      if (response.status >= 300 && response.status < 400) {
        if (!response.location) {
          throw new JiraError({ kind: 'invalid-response', method: 'GET', path, status: response.status, remoteMessage: 'redirect without a Location header' });
        }
        target = new URL(response.location, target);
        continue;
      }
      return { content: response.body, contentType: response.contentType };
    }
    throw new JiraError({ kind: 'invalid-response', method: 'GET', path: new URL(url).pathname, remoteMessage: `more than ${MAX_REDIRECTS} redirects` });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async send(
    options: JiraRequestOptions & { absoluteUrl?: string; withAuth?: boolean; acceptRedirect?: boolean },
  ): Promise<{ status: number; body: Buffer; contentType: string | undefined; location?: string }> {
    const idempotent = options.idempotent ?? options.method !== 'POST';
    const url = options.absoluteUrl ?? this.buildUrl(options.path, options.query);
    const headers = this.buildHeaders(options);
    let payload: Buffer | string | undefined = options.body;
    if (options.json !== undefined) payload = JSON.stringify(options.json);

    for (let attempt = 1; ; attempt += 1) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let status: number;
      let responseHeaders: Record<string, string | string[] | undefined>;
      let body: Buffer;
      try {
        const response = await request(url, {
          method: options.method,
          headers,
          body: payload,
          dispatcher: this.dispatcher as Dispatcher,
          signal,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        status = response.statusCode;
        responseHeaders = response.headers;
        body = Buffer.from(await response.body.arrayBuffer());
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const kind: JiraErrorKind = timeout.aborted || isTimeoutError(error) ? 'timeout' : 'network';
        // A timeout's cause is our own abort ("The operation was aborted due to timeout"), so the message names the time instead.
        const failure =
          kind === 'timeout'
            ? new JiraError({ kind, method: options.method, path: options.path, timeoutMs: this.timeoutMs, cause: error })
            : new JiraError({ kind, method: options.method, path: options.path, remoteMessage: causeMessage(error), cause: error });
        if (idempotent && attempt < this.maxAttempts) {
          const wait = this.backoff(attempt);
          this.logger.warn(`Retrying ${options.method} ${options.path} in ${wait} ms after attempt ${attempt} failed: ${failure.message}`);
          await this.sleep(wait);
          continue;
        }
        throw failure;
      }

      const contentType = headerValue(responseHeaders, 'content-type');
      if (status < 300 || (options.acceptRedirect && status < 400)) {
        return { status, body, contentType, location: headerValue(responseHeaders, 'location') };
      }

      const retryAfterSeconds = parseRetryAfter(headerValue(responseHeaders, 'retry-after'));
      const retryable = status === 429 || (idempotent && RETRYABLE_STATUSES.has(status));
      if (retryable && attempt < this.maxAttempts) {
        const wait = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : this.backoff(attempt);
        if (wait <= this.maxRetryWaitMs) {
          this.logger.warn(`Retrying ${options.method} ${options.path} in ${wait} ms after Jira returned ${status} (attempt ${attempt})`);
          await this.sleep(wait);
          continue;
        }
      }
      throw this.errorFor(options, status, body, contentType, responseHeaders, retryAfterSeconds);
    }
  }

  private errorFor(
    options: JiraRequestOptions,
    status: number,
    body: Buffer,
    contentType: string | undefined,
    headers: Record<string, string | string[] | undefined>,
    retryAfterSeconds: number | undefined,
  ): JiraError {
    const { message, fieldErrors } = readErrorBody(body, contentType);
    const auth = this.options.auth ?? { label: 'missing credentials', settingNames: ['the ATLASSIAN_* credentials'] };
    let kind: JiraErrorKind = 'http';
    if (status === 401) kind = 'auth';
    if (status === 403) kind = isCaptcha(headers) ? 'captcha' : 'auth';
    return new JiraError({
      kind,
      method: options.method,
      path: options.path,
      status,
      remoteMessage: message,
      fieldErrors,
      retryAfterSeconds,
      auth: kind === 'auth' || kind === 'captcha' ? auth : undefined,
    });
  }

  /**
   * Drops a query, a fragment and credentials from the base URL, so paths are appended to
   * its path. The URL settings reject such parts, but a value stored before they did may
   * still have them.
   */
  private normalizeBaseUrl(value: string): string {
    const trimmed = value.trim();
    if (!URL.canParse(trimmed)) return trimmed.replace(/\/+$/, '');
    const url = new URL(trimmed);
    if (url.search || url.hash || url.username || url.password || /[?#]/.test(trimmed)) {
      this.logger.warn(`Ignoring the query, fragment or credentials of the Jira base URL ${url.origin}${url.pathname}`);
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  }

  private buildUrl(path: string, query: Record<string, QueryValue> | undefined): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url.toString();
  }

  private buildHeaders(options: JiraRequestOptions & { withAuth?: boolean }): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    if (options.body !== undefined && options.contentType) headers['Content-Type'] = options.contentType;
    if (options.withAuth !== false && this.options.auth) headers.Authorization = this.options.auth.authorization;
    return headers;
  }

  private backoff(attempt: number): number {
    const base = this.backoffBaseMs * 2 ** (attempt - 1);
    return Math.round(base + Math.random() * base * 0.5);
  }
}

/**
 * Reads Jira's error bodies: the platform envelope (`errorMessages`, `errors`), the JSM
 * one (`errorMessage`), the Cloud and gateway `message`, the OAuth `error_description`,
 * or a short form of a text or HTML page.
 */
export function readErrorBody(body: Buffer, contentType: string | undefined): { message: string | undefined; fieldErrors: Record<string, string> } {
  const text = stripNullCharacters(body.toString('utf8'));
  if (!text.trim()) return { message: undefined, fieldErrors: {} };
  let parsed: unknown;
  try {
    parsed = parseJsonWithoutNullCharacters(text);
  } catch {
    return { message: summarizeText(text, contentType), fieldErrors: {} };
  }
  if (parsed === null || typeof parsed !== 'object') return { message: summarizeText(text, contentType), fieldErrors: {} };

  const record = parsed as Record<string, unknown>;
  const messages: string[] = [];
  const fieldErrors: Record<string, string> = {};
  if (Array.isArray(record.errorMessages)) messages.push(...record.errorMessages.filter((item): item is string => typeof item === 'string'));
  if (record.errors && typeof record.errors === 'object' && !Array.isArray(record.errors)) {
    for (const [field, value] of Object.entries(record.errors as Record<string, unknown>)) {
      const fieldMessage = typeof value === 'string' ? value : JSON.stringify(value);
      fieldErrors[field] = fieldMessage;
      messages.push(`${field}: ${fieldMessage}`);
    }
  }
  for (const key of ['errorMessage', 'message', 'error_description']) {
    if (typeof record[key] === 'string' && record[key]) messages.push(record[key] as string);
  }
  const message = messages.map((item) => item.trim()).filter(Boolean).join(' ');
  return { message: message ? truncate(message) : undefined, fieldErrors };
}

function summarizeText(text: string, contentType: string | undefined): string | undefined {
  if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? `an HTML page titled "${truncate(title)}"` : 'an HTML page';
  }
  const trimmed = text.trim();
  return trimmed ? truncate(trimmed.replace(/\s+/g, ' ')) : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}...` : text;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isCaptcha(headers: Record<string, string | string[] | undefined>): boolean {
  const reason = headerValue(headers, 'x-seraph-loginreason') ?? '';
  const denied = headerValue(headers, 'x-authentication-denied-reason') ?? '';
  return /AUTHENTICATION_DENIED/i.test(reason) || /CAPTCHA/i.test(denied);
}

function isTimeoutError(error: unknown): boolean {
  const name = (error as { name?: string; code?: string })?.name ?? '';
  const code = (error as { code?: string })?.code ?? '';
  return /Timeout/i.test(name) || /TIMEOUT/i.test(code);
}

/** Describes a network failure with its system error code (`ECONNREFUSED`); numeric DOMException codes mean nothing to a reader and are left out. */
function causeMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

/**
 * Parses `Retry-After`, given in seconds or as an HTTP date; returns whole seconds from
 * now, or undefined when the header is absent or invalid.
 */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date always names its weekday or month; this keeps "-5" from parsing as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
