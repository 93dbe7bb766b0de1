import type { FakeContext } from './context';
import { INTEGRATION_USER_ID } from './seed-data';
import type { WebhookRecord } from './types';
import type { WebhookDelivery, WebhookDispatcher, WebhookFault, WebhookFaultInput } from './webhook-dispatcher';
import { createWebhook, deleteWebhook } from './webhook-operations';

export interface RegisterWebhookInput {
  /** Target URL on 127.0.0.1, ::1 or localhost. */
  endpoint: string;
  /** HMAC-SHA1 key for `X-Hub-Signature`; no signature when omitted. */
  signatureToken?: string;
  /** Webhook name; `Deskbridge` by default. */
  name?: string;
  /** `X-Zammad-Trigger` value; the webhook name by default. */
  triggerName?: string;
  sslVerify?: boolean;
  basicAuthUsername?: string;
  basicAuthPassword?: string;
  active?: boolean;
}

/** Test controls for webhooks: registration, the delivery log, faults, hold and release. */
export class WebhookControls {
  constructor(
    private readonly ctx: FakeContext,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** Registers a webhook as the integration user would through `POST /api/v1/webhooks`. */
  register(input: RegisterWebhookInput): WebhookRecord {
    const integration = this.ctx.store.users.get(INTEGRATION_USER_ID)!;
    const webhook = createWebhook(this.ctx, integration, {
      name: input.name ?? 'Deskbridge',
      endpoint: input.endpoint,
      signature_token: input.signatureToken,
      ssl_verify: input.sslVerify,
      basic_auth_username: input.basicAuthUsername,
      basic_auth_password: input.basicAuthPassword,
      active: input.active,
    });
    if (input.triggerName) {
      this.dispatcher.setTriggerName(webhook.id, input.triggerName);
    }
    return webhook;
  }

  list(): WebhookRecord[] {
    return [...this.ctx.store.webhooks.values()];
  }

  remove(webhookId: number): void {
    deleteWebhook(this.ctx, webhookId);
  }

  /** Returns every delivery so far with all its attempts, oldest first. */
  deliveries(): WebhookDelivery[] {
    return this.dispatcher.list();
  }

  addFault(input: WebhookFaultInput): WebhookFault {
    return this.dispatcher.addFault(input);
  }

  faults(): WebhookFault[] {
    return this.dispatcher.listFaults();
  }

  clearFaults(): void {
    this.dispatcher.clearFaults();
  }

  hold(): void {
    this.dispatcher.hold();
  }

  release(order: 'reverse' | 'original' = 'reverse'): Promise<WebhookDelivery[]> {
    return this.dispatcher.release(order);
  }

  /** Resolves when no delivery attempt is running or scheduled. */
  waitForIdle(timeoutMs?: number): Promise<void> {
    return this.dispatcher.waitForIdle(timeoutMs);
  }
}
