import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { Logger } from '@nestjs/common';
import { Agent, request } from 'undici';

import { stripNullCharacters } from '../../common/null-characters';
import { missingSmaxSettings, SmaxConnectionOptions } from './smax.config';
import { SmaxError } from './smax.exception';

export type SmaxHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type SmaxQuery = Record<string, string | number | undefined>;

/** One call to the tenant's REST API. */
export interface SmaxCall {
  method: SmaxHttpMethod;
  /** Path below `rest/<tenant>/`, without a leading slash (SMAX does not collapse `//`). */
  path: string;
  query?: SmaxQuery;
  body?: { bytes: Buffer; contentType: string };
}

export interface SmaxResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const LOGIN_PATH = 'auth/authentication-endpoint/authenticate/login';

/** Maximum length of an error body quoted in a message. */
const MAX_DETAIL_LENGTH = 300;

/**
 * HTTP transport to one SMAX tenant. It logs in lazily with the tenant id and sends the token
 * as the configured cookie, with a `TENANTID` cookie beside it. On a 401 it logs in once more
 * and repeats the call, for reads and writes alike, because SMAX checks the session before it
 * runs a call, so a call rejected with 401 changed nothing. GETs are also repeated after
 * retryable failures. Every failure is a `SmaxError`.
 */
export class SmaxHttpClient {
  private readonly logger = new Logger(SmaxHttpClient.name);
  private readonly dispatcher: Agent;
  private readonly baseUrl: string;
  private token: string | undefined;
  private loginInFlight: Promise<string> | undefined;

  constructor(private readonly options: SmaxConnectionOptions) {
    this.baseUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: options.verifySsl } });
  }

  get login(): string {
    return this.options.login;
  }

  /**
   * Runs a call and parses the JSON body; an empty body gives undefined. U+0000 is removed
   * from every string, because SMAX keeps it where an agent typed it and our database cannot.
   */
  async json<T>(call: SmaxCall): Promise<T | undefined> {
    const response = await this.send(call);
    if (response.body.length === 0) return undefined;
    const text = response.body.toString('utf8');
    try {
      return stripNullCharacters(JSON.parse(text) as T);
    } catch (error) {
      throw new SmaxError(`SMAX returned a response to ${describeCall(call)} that is not valid JSON: ${summarizeText(text)}`, {
        status: response.status,
        retryable: false,
        cause: error,
      });
    }
  }

  /** Runs a call and returns the response; statuses of 400 and above are raised as `SmaxError`. */
  async send(call: SmaxCall): Promise<SmaxResponse> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.sendAuthenticated(call);
      } catch (error) {
        const delayMs = this.readRetryDelay(call, error, attempt);
        if (delayMs === undefined) throw error;
        this.logger.warn(`Repeating ${describeCall(call)} in ${delayMs} ms after: ${(error as Error).message}`);
        await sleep(delayMs);
      }
    }
  }

  /** Closes the connection pool; later calls fail. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.dispatcher.closed || this.dispatcher.destroyed) return;
    await this.dispatcher.close();
  }

  private async sendAuthenticated(call: SmaxCall): Promise<SmaxResponse> {
    const token = await this.currentToken();
    let response = await this.exchange(call, token);
    if (response.status === 401) {
      this.logger.log(`SMAX rejected the session of "${this.options.login}" on ${describeCall(call)}; logging in again`);
      const fresh = await this.renewToken(token);
      response = await this.exchange(call, fresh);
    }
    if (response.status >= 400) throw statusError(call, response, this.options.login);
    return response;
  }

  /** Milliseconds to wait before repeating a failed GET, or undefined when it must not be repeated. */
  private readRetryDelay(call: SmaxCall, error: unknown, attempt: number): number | undefined {
    if (call.method !== 'GET' || !(error instanceof SmaxError) || !error.retryable) return undefined;
    if (attempt >= this.options.readRetries) return undefined;
    const delayMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 200 * 2 ** attempt;
    return delayMs <= this.options.maxRetryDelayMs ? delayMs : undefined;
  }

  private currentToken(): Promise<string> {
    return this.token !== undefined ? Promise.resolve(this.token) : this.renewToken(undefined);
  }

  /**
   * Returns a token newer than `staleToken`. Concurrent callers share one login, and a
   * caller whose token was already replaced by another caller's login gets the new one.
   */
  private renewToken(staleToken: string | undefined): Promise<string> {
    if (this.token !== undefined && this.token !== staleToken) return Promise.resolve(this.token);
    this.token = undefined;
    this.loginInFlight ??= this.logIn().finally(() => {
      this.loginInFlight = undefined;
    });
    return this.loginInFlight;
  }

  private async logIn(): Promise<string> {
    const missing = missingSmaxSettings(this.options);
    if (missing.length > 0) {
      // Retryable, so pushes queued meanwhile go out once an admin fills the settings in.
      throw new SmaxError(`SMAX is not configured: set ${missing.join(', ')} in the runtime settings.`, { retryable: true });
    }
    const url = `${this.baseUrl}${LOGIN_PATH}?TENANTID=${encodeURIComponent(this.options.tenantId)}`;
    const call: SmaxCall = { method: 'POST', path: LOGIN_PATH };
    const body = Buffer.from(JSON.stringify({ login: this.options.login, password: this.options.password }));
    const response = await this.dispatch(call, url, { 'content-type': 'application/json' }, body);
    if (response.status !== 200) {
      const detail = describeBody(response);
      throw new SmaxError(
        `SMAX login as "${this.options.login}" to tenant ${this.options.tenantId} failed with HTTP ${response.status}` +
          `${detail ? `: ${detail}` : ''}. Check SMAX_LOGIN, SMAX_PASSWORD and SMAX_TENANT_ID.`,
        { status: response.status, retryable: isRetryableStatus(response.status), retryAfterSeconds: retryAfter(response) },
      );
    }
    // Some servers wrap the plain-text token in double quotes.
    const token = response.body.toString('utf8').trim().replace(/^"(.*)"$/s, '$1');
    if (!token) {
      throw new SmaxError(`SMAX login as "${this.options.login}" returned an empty token.`, { status: 200, retryable: false });
    }
    this.token = token;
    return token;
  }

  private exchange(call: SmaxCall, token: string): Promise<SmaxResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      cookie: `${this.options.authCookieName}=${token}; TENANTID=${this.options.tenantId}`,
    };
    if (call.body) headers['content-type'] = call.body.contentType;
    return this.dispatch(call, this.restUrl(call), headers, call.body?.bytes);
  }

  private async dispatch(call: SmaxCall, url: string, headers: Record<string, string>, body?: Buffer): Promise<SmaxResponse> {
    try {
      const response = await request(url, {
        method: call.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const bytes = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body: bytes };
    } catch (error) {
      throw transportError(call, error, this.options.timeoutMs);
    }
  }

  private restUrl(call: SmaxCall): string {
    const query = encodeQuery(call.query ?? {});
    return `${this.baseUrl}rest/${encodeURIComponent(this.options.tenantId)}/${call.path}${query ? `?${query}` : ''}`;
  }
}

/**
 * Encodes query parameters with `%20` for spaces and `%27` for quotes, which EMS filters
 * contain (undici would encode a raw quote anyway). Commas stay as they are, so
 * `layout=Id,DisplayLabel` reads as SMAX documents it.
 */
export function encodeQuery(query: SmaxQuery): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%2C/gi, ',').replace(/'/g, '%27');
  return Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encode(name)}=${encode(String(value))}`)
    .join('&');
}

function describeCall(call: SmaxCall): string {
  return `${call.method} ${call.path}`;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

function statusError(call: SmaxCall, response: SmaxResponse, login: string): SmaxError {
  const detail = describeBody(response);
  const suffix = detail ? `: ${detail}` : '';
  const message =
    response.status === 401 || response.status === 403
      ? `SMAX refused ${describeCall(call)} for the integration login "${login}" with HTTP ${response.status}${suffix}. ` +
        `Check SMAX_LOGIN, SMAX_PASSWORD and the roles of that user in SMAX.`
      : `SMAX returned HTTP ${response.status} for ${describeCall(call)}${suffix}`;
  return new SmaxError(message, {
    status: response.status,
    retryable: isRetryableStatus(response.status),
    retryAfterSeconds: retryAfter(response),
  });
}

function transportError(call: SmaxCall, error: unknown, timeoutMs: number): SmaxError {
  // Duck-typed: the abort error is a DOMException, which may come from another realm under Jest.
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  const timedOut = name === 'TimeoutError' || (typeof code === 'string' && code.endsWith('_TIMEOUT'));
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  const text = timedOut
    ? `SMAX did not answer ${describeCall(call)} within ${timeoutMs} ms`
    : `Could not complete ${describeCall(call)} on SMAX: ${typeof message === 'string' ? message : String(error)}`;
  return new SmaxError(text, { retryable: true, outcomeUnknown: call.method !== 'GET' && !neverSent, cause: error });
}

/** Parses `Retry-After` in seconds or as an HTTP date; undefined when absent or invalid. */
function retryAfter(response: SmaxResponse): number | undefined {
  const header = response.headers['retry-after'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Pulls SMAX's own message out of an error body. Error bodies are not contractual: JSON with
 * `message` or `errorDetails.message`, plain text, an HTML page or nothing.
 */
function describeBody(response: SmaxResponse): string {
  const text = response.body.toString('utf8').trim();
  if (!text) return '';
  try {
    const message = findMessage(JSON.parse(text));
    if (message) return summarizeText(message);
  } catch {
    // Not JSON: quote the text below.
  }
  return summarizeText(text.replace(/<[^>]*>/g, ' '));
}

function findMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const meta = record.meta as Record<string, unknown> | undefined;
  const candidates = [
    record.message,
    (record.errorDetails as Record<string, unknown> | undefined)?.message,
    (meta?.errorDetails as Record<string, unknown> | undefined)?.message,
    ((meta?.errorDetailsList as unknown[] | undefined)?.[0] as Record<string, unknown> | undefined)?.message,
    record.error,
    record.detail,
  ];
  return candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '');
}

function summarizeText(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > MAX_DETAIL_LENGTH ? `${collapsed.slice(0, MAX_DETAIL_LENGTH)}…` : collapsed;
}
