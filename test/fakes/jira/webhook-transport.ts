/** One HTTP POST of a webhook delivery, with a timeout and without connection reuse. */
import http from 'node:http';
import https from 'node:https';

export interface PostOutcome {
  /** Real time the attempt started, epoch milliseconds. */
  startedAt: number;
  outcome: { status?: number; error?: string };
}

/**
 * Posts `body` to `url` and resolves with the status, or with an error text
 * for a connection failure or timeout; it never rejects. Each request is kept
 * in `inFlight` until it closes, so the dispatcher can abort it.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  inFlight: Set<http.ClientRequest>,
): Promise<PostOutcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome['outcome']) => {
      if (!settled) {
        settled = true;
        resolve({ startedAt, outcome });
      }
    };

    let target: URL;
    try {
      target = new URL(url);
    } catch {
      finish({ error: `invalid URL: ${url}` });
      return;
    }

    const client = target.protocol === 'https:' ? https : http;
    const payload = Buffer.from(body, 'utf8');
    const request = client.request(target, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Length': String(payload.length) },
      timeout: timeoutMs,
    });
    inFlight.add(request);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => finish({ status: response.statusCode }));
      response.on('error', () => finish({ status: response.statusCode }));
    });
    request.on('timeout', () => {
      request.destroy(new Error(`timed out after ${timeoutMs} ms`));
    });
    request.on('error', (error) => finish({ error: error.message }));
    request.on('close', () => {
      inFlight.delete(request);
      finish({ error: 'connection closed before a response' });
    });
    request.end(payload);
  });
}
