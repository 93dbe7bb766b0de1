import { once } from 'node:events';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A POST that reached the test receiver. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Loopback HTTP server that replaces the service's webhook endpoint in
 * specs. It records every POST and responds with the next queued status
 * (200 once the queue is empty).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses: number[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => this.record(req, res));
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/support-smax-webhook/`;
  }

  /** Makes the next POSTs get these statuses, in order. */
  respondWith(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  /** Returns the `id` member of every body received so far, in arrival order. */
  ids(): string[] {
    return this.received.map((webhook) => (JSON.parse(webhook.body) as { id: string }).id);
  }

  reset(): void {
    this.received.length = 0;
    this.statuses.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private record(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = this.statuses.shift() ?? 200;
      res.end();
    });
  }
}
