import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

import { isLoopbackEndpoint } from './webhook-operations';

export interface WebhookRequest {
  endpoint: string;
  body: string;
  headers: Record<string, string>;
  sslVerify: boolean;
  timeoutMs: number;
}

export interface WebhookResponse {
  /** Receiver's HTTP status, or null when no response arrived. */
  status: number | null;
  error: string | null;
}

/** `sha1=<hex HMAC-SHA1 of the raw body>`, the `X-Hub-Signature` value Zammad sends. */
export function hubSignature(signatureToken: string, body: string): string {
  return `sha1=${createHmac('sha1', signatureToken).update(body, 'utf8').digest('hex')}`;
}

/**
 * Headers of a Zammad trigger webhook: JSON content type, Zammad's user agent, the
 * trigger name, the delivery id (the background job id, the same on every retry), and
 * `X-Hub-Signature` and Basic authentication when the webhook has them.
 */
export function buildWebhookHeaders(options: {
  triggerName: string;
  deliveryId: string;
  body: string;
  signatureToken: string | null;
  basicAuthUsername: string | null;
  basicAuthPassword: string | null;
}): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'Zammad User Agent',
    'X-Zammad-Trigger': options.triggerName,
    'X-Zammad-Delivery': options.deliveryId,
  };
  if (options.signatureToken) {
    headers['X-Hub-Signature'] = hubSignature(options.signatureToken, options.body);
  }
  if (options.basicAuthUsername) {
    const credentials = `${options.basicAuthUsername}:${options.basicAuthPassword ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }
  return headers;
}

/**
 * Posts one delivery attempt. Redirects are not followed and count as failures, as in
 * current Zammad. `track` receives the request so the dispatcher can abort it on close.
 */
export function sendWebhook(request: WebhookRequest, track: (pending: http.ClientRequest) => void): Promise<WebhookResponse> {
  if (!isLoopbackEndpoint(request.endpoint)) {
    return Promise.resolve({ status: null, error: `Endpoint ${request.endpoint} is not on this machine; not sent` });
  }
  const url = new URL(request.endpoint);
  const client = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(request.body, 'utf8');
  return new Promise((resolve) => {
    const pending = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'Content-Length': String(body.length) },
        timeout: request.timeoutMs,
        rejectUnauthorized: request.sslVerify,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? null, error: null }));
        response.on('error', (error) => resolve({ status: response.statusCode ?? null, error: error.message }));
      },
    );
    pending.on('timeout', () => pending.destroy(new Error(`timed out after ${request.timeoutMs} ms`)));
    pending.on('error', (error) => resolve({ status: null, error: error.message }));
    track(pending);
    pending.end(body);
  });
}
