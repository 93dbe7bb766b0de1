import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { FakeZammad } from '../server';

export interface ApiResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: any;
}

export interface ApiRequestOptions {
  /** `Authorization` header value; the integration token by default, null for none. */
  authorization?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one request to the fake with `fetch` and reads the whole response. */
export async function callApi(
  fake: FakeZammad,
  method: string,
  path: string,
  options: ApiRequestOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const authorization =
    options.authorization === undefined ? `Token token=${fake.tokens.integration}` : options.authorization;
  if (authorization !== null) {
    headers.Authorization = authorization;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(`${fake.url}${path}`, { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

/** Authorization header for a token in Zammad's `Token token=` form. */
export function tokenHeader(token: string): string {
  return `Token token=${token}`;
}

/**
 * Reads a captured Zammad payload from `shared/fixtures/zammad`, the shared folder that
 * sits beside the project checkout: the nearest ancestor directory holding it wins,
 * and `DESKBRIDGE_SHARED_DIR` overrides the search.
 */
export function readFixture(name: string): any {
  const sharedDir = process.env.DESKBRIDGE_SHARED_DIR ?? findSharedDir(__dirname);
  return JSON.parse(readFileSync(join(sharedDir, 'fixtures', 'zammad', name), 'utf8'));
}

function findSharedDir(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, 'shared');
    if (existsSync(join(candidate, 'fixtures', 'zammad'))) {
      return candidate;
    }
    if (dirname(directory) === directory) {
      throw new Error(`Missing shared/fixtures/zammad above ${start}; set DESKBRIDGE_SHARED_DIR to the shared folder`);
    }
  }
}
