/** Helpers for the fake Jira specs: a fetch wrapper with Jira credentials and a loopback webhook receiver. */
import type { AddressInfo } from 'node:net';
import http from 'node:http';

import { AGENT_EMAIL, AGENT_TOKEN, INTEGRATION_EMAIL, INTEGRATION_TOKEN } from './seed';
import { startFakeJira, type FakeJira } from './server';
import type { FakeJiraOptions } from './options';

/** Starts a fake with webhook delays short enough for tests. */
export function startTestFake(options: FakeJiraOptions = {}): Promise<FakeJira> {
  return startFakeJira({
    webhookRetryDelaysMs: [20, 40, 80],
    webhookSecondaryDelayMs: 0,
    webhookTimeoutMs: 1_000,
    ...options,
  });
}

export function basic(login: string, secret: string): string {
  return `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`;
}

export const BOT_AUTH = basic(INTEGRATION_EMAIL, INTEGRATION_TOKEN);
export const AGENT_AUTH = basic(AGENT_EMAIL, AGENT_TOKEN);

export interface CallOptions {
  method?: string;
  body?: unknown;
  auth?: string | null;
  headers?: Record<string, string>;
  redirect?: 'follow' | 'manual' | 'error';
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

/** Calls the fake with the integration user's credentials, unless `auth` gives others or null for none. */
export async function call(base: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? BOT_AUTH : options.auth;
  if (auth !== null) {
    headers.Authorization = auth;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${base}${path}`, { method: options.method ?? 'GET', headers, body, redirect: options.redirect });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Creates a SUP service request through the REST API and returns its key. */
export async function createIssue(fake: FakeJira, fields: Record<string, unknown> = {}, auth: string = BOT_AUTH): Promise<string> {
  const result = await call(fake.url, '/rest/api/2/issue', {
    method: 'POST',
    auth,
    body: { fields: { project: { key: 'SUP' }, issuetype: { name: 'Service Request' }, summary: 'VPN not reachable', ...fields } },
  });
  if (result.status !== 201) {
    throw new Error(`Creating the issue failed with ${result.status}: ${result.text}`);
  }
  return result.json.key as string;
}

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  json: any;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Sets the status returned to deliveries: a fixed status, or one per delivery from a list (the last repeats). */
  respondWith(statuses: number | number[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 that records webhook deliveries. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let statuses: number[] = [200];
  let answered = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined;
      } catch {
        json = undefined;
      }
      received.push({ headers: req.headers, rawBody, json });
      const status = statuses[Math.min(answered, statuses.length - 1)];
      answered += 1;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/jira`,
    received,
    respondWith(next) {
      statuses = Array.isArray(next) ? next : [next];
      answered = 0;
    },
    async waitFor(count, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`Expected ${count} webhook deliveries within ${timeoutMs} ms, received ${received.length}.`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.slice(0, count);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** Waits `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
