import type { FakeContext } from './context';
import { notFound, unprocessable } from './errors';
import { optionalString, toBoolean, toId } from './params';
import type { JsonObject, UserRecord, WebhookRecord } from './types';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True when `endpoint` is an http(s) URL on this machine; the fake sends nothing elsewhere. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Checks a webhook as Zammad's Webhook model does (name present, http or https
 * endpoint with a host) and, in addition, keeps endpoints on 127.0.0.1, ::1 or
 * localhost.
 */
function validateWebhook(webhook: WebhookRecord): void {
  if (webhook.name.trim() === '') {
    throw unprocessable("Name can't be blank");
  }
  let url: URL;
  try {
    url = new URL(webhook.endpoint);
  } catch {
    throw unprocessable('Endpoint Invalid endpoint!');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw unprocessable('Endpoint Invalid endpoint (no http/https)!');
  }
  if (!isLoopbackEndpoint(webhook.endpoint)) {
    throw unprocessable(
      `Endpoint ${webhook.endpoint} is not allowed: the fake only delivers to 127.0.0.1, ::1 or localhost`,
    );
  }
}

/** `POST /webhooks` with Zammad's field names; also used by the control API. */
export function createWebhook(ctx: FakeContext, actor: UserRecord, params: JsonObject): WebhookRecord {
  const now = ctx.clock.timestamp();
  const webhook: WebhookRecord = {
    id: 0,
    name: optionalString(params.name) ?? '',
    endpoint: optionalString(params.endpoint) ?? '',
    signature_token: emptyToNull(params.signature_token),
    ssl_verify: toBoolean(params.ssl_verify) ?? true,
    basic_auth_username: emptyToNull(params.basic_auth_username),
    basic_auth_password: emptyToNull(params.basic_auth_password),
    note: emptyToNull(params.note),
    active: toBoolean(params.active) ?? true,
    pre_defined_webhook_type: null,
    customized_payload: false,
    custom_payload: null,
    preferences: {},
    updated_by_id: actor.id,
    created_by_id: actor.id,
    created_at: now,
    updated_at: now,
  };
  validateWebhook(webhook);
  webhook.id = ctx.store.nextId('webhook');
  ctx.store.webhooks.set(webhook.id, webhook);
  return webhook;
}

export function findWebhook(ctx: FakeContext, webhookId: unknown): WebhookRecord {
  const id = toId(webhookId);
  const webhook = id === undefined ? undefined : ctx.store.webhooks.get(id);
  if (!webhook) {
    throw notFound('Webhook', webhookId);
  }
  return webhook;
}

export function updateWebhook(ctx: FakeContext, actor: UserRecord, webhookId: unknown, params: JsonObject): WebhookRecord {
  const webhook = findWebhook(ctx, webhookId);
  const updated: WebhookRecord = {
    ...webhook,
    name: params.name === undefined ? webhook.name : (optionalString(params.name) ?? ''),
    endpoint: params.endpoint === undefined ? webhook.endpoint : (optionalString(params.endpoint) ?? ''),
    signature_token: params.signature_token === undefined ? webhook.signature_token : emptyToNull(params.signature_token),
    ssl_verify: toBoolean(params.ssl_verify) ?? webhook.ssl_verify,
    basic_auth_username:
      params.basic_auth_username === undefined ? webhook.basic_auth_username : emptyToNull(params.basic_auth_username),
    basic_auth_password:
      params.basic_auth_password === undefined ? webhook.basic_auth_password : emptyToNull(params.basic_auth_password),
    note: params.note === undefined ? webhook.note : emptyToNull(params.note),
    active: toBoolean(params.active) ?? webhook.active,
    updated_by_id: actor.id,
    updated_at: ctx.clock.timestamp(),
  };
  validateWebhook(updated);
  ctx.store.webhooks.set(updated.id, updated);
  return updated;
}

export function deleteWebhook(ctx: FakeContext, webhookId: unknown): void {
  const webhook = findWebhook(ctx, webhookId);
  ctx.store.webhooks.delete(webhook.id);
}

function emptyToNull(value: unknown): string | null {
  const text = optionalString(value);
  return text === null || text === '' ? null : text;
}
