import { FakeSmax } from './fake-smax';
import { INTEGRATION_USER } from './seed';

/** Helpers for specs that talk to the fake over HTTP the way an SMAX client does. */

export interface SmaxCallOptions {
  method?: string;
  token?: string;
  /** Cookie name for the token; default LWSSO_COOKIE_KEY. */
  cookieName?: string;
  json?: unknown;
  body?: RequestInit['body'];
  headers?: Record<string, string>;
}

/** Logs in and returns the token (the plain-text body). Raises on any status but 200. */
export async function loginAs(fake: FakeSmax, login = INTEGRATION_USER.login, password = INTEGRATION_USER.password): Promise<string> {
  const response = await fetch(`${fake.url}/auth/authentication-endpoint/authenticate/login?TENANTID=${fake.tenantId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`Login as ${login} failed with ${response.status}: ${text}`);
  }
  return text;
}

/** Calls `<restUrl><path>` with the token as cookie. */
export function callSmax(fake: FakeSmax, path: string, options: SmaxCallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) {
    headers.Cookie = `${options.cookieName ?? 'LWSSO_COOKIE_KEY'}=${options.token}; TENANTID=${fake.tenantId}`;
  }
  let body = options.body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  return fetch(`${fake.restUrl}${path}`, { method: options.method ?? 'GET', headers, body });
}

/** Sends a bulk write and returns the parsed response. Raises on any status but 200. */
export async function bulk(fake: FakeSmax, token: string, payload: unknown): Promise<BulkAnswer> {
  const response = await callSmax(fake, '/ems/bulk', { method: 'POST', token, json: payload });
  if (response.status !== 200) {
    throw new Error(`ems/bulk answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as BulkAnswer;
}

export interface BulkAnswer {
  entity_result_list: Array<{
    entity: { entity_type: string; properties: Record<string, unknown> };
    completion_status: string;
    errorDetails?: { message: string };
  }>;
  relationship_result_list: Array<{ completion_status: string; errorDetails?: { message: string } }>;
  meta: { completion_status: string };
}

export interface QueryAnswer {
  entities: Array<{ entity_type: string; properties: Record<string, unknown>; related_properties: Record<string, Record<string, unknown>> }>;
  meta: Record<string, unknown> & { completion_status: string; total_count: number };
}

/** Creates a Request through bulk CREATE as the integration user and returns its Id. */
export async function createRequest(fake: FakeSmax, token: string, properties: Record<string, unknown> = {}): Promise<string> {
  const answer = await bulk(fake, token, {
    operation: 'CREATE',
    entities: [
      {
        entity_type: 'Request',
        properties: { DisplayLabel: 'VPN not reachable', Description: '<p>Times out.</p>', RequestedByPerson: '10003', ...properties },
      },
    ],
  });
  const result = answer.entity_result_list[0];
  if (result.completion_status !== 'OK') {
    throw new Error(`Request CREATE failed: ${JSON.stringify(result)}`);
  }
  return String(result.entity.properties.Id);
}

/** Runs an EMS query and returns the parsed envelope. Raises on any status but 200. */
export async function query(fake: FakeSmax, token: string, path: string): Promise<QueryAnswer> {
  const response = await callSmax(fake, path, { token });
  if (response.status !== 200) {
    throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as QueryAnswer;
}
