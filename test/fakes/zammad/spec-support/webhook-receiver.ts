import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with the exact body bytes. */
export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: unknown;
  /** Status the receiver responded with. */
  status: number;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses for the next requests, in order; 200 once they are used up. */
  respondWith(statuses: number[]): void;
  /** Resolves when at least `count` requests arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** Starts a small HTTP server on 127.0.0.1 that records every request. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let statuses: number[] = [];
  let waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const status = statuses.shift() ?? 200;
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      received.push({ headers: req.headers, body, text: body.toString('utf8'), json, status, receivedAt: Date.now() });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{}');
      const pending = waiters;
      waiters = [];
      pending.forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const waitFor = async (count: number, timeoutMs = 5000): Promise<ReceivedWebhook[]> => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`Expected ${count} webhook requests, got ${received.length} within ${timeoutMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return received;
  };

  return {
    url: `http://127.0.0.1:${port}/hooks/zammad`,
    received,
    respondWith: (next) => {
      statuses = [...next];
    },
    waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
