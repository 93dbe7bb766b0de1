/** Admin webhook registrations, as `/rest/webhooks/1.0/webhook` and the control API create them. */
import type { FakeJiraCore } from './core';
import { platformError } from './errors';
import { compileJql } from './jql-eval';
import { JqlError } from './jql-parser';
import { isRecord, type WebhookRecord } from './records';
import type { UserRecord } from './seed';
import type { ViewContext } from './view-context';

export const FILTER_KEY = 'issue-related-events-section';

/** Events the control shortcut subscribes to when the caller names none. */
export const DEFAULT_WEBHOOK_EVENTS = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
];

export interface WebhookInput {
  name?: unknown;
  url?: unknown;
  events?: unknown;
  filters?: unknown;
  excludeBody?: unknown;
  enabled?: unknown;
  secret?: unknown;
}

function validate(core: FakeJiraCore, input: WebhookInput, defaults: Partial<WebhookRecord>): Omit<WebhookRecord, 'id' | 'lastUpdatedUserId' | 'lastUpdated'> {
  const errors: Record<string, string> = {};
  const name = input.name ?? defaults.name;
  if (typeof name !== 'string' || name.trim() === '') {
    errors.name = 'The webhook name is required.';
  }
  const url = input.url ?? defaults.url;
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) {
    errors.url = 'The webhook URL must be an absolute http or https URL.';
  }

  const events = input.events ?? defaults.events ?? [];
  if (!Array.isArray(events) || events.some((event) => typeof event !== 'string')) {
    errors.events = 'Events must be a list of event names.';
  }
  const filters = isRecord(input.filters) ? input.filters : {};
  const jqlFilter = typeof filters[FILTER_KEY] === 'string' ? (filters[FILTER_KEY] as string) : (defaults.jqlFilter ?? '');
  if (jqlFilter.trim()) {
    try {
      compileJql(core, jqlFilter);
    } catch (error) {
      if (!(error instanceof JqlError)) {
        throw error;
      }
      errors.filters = error.message;
    }
  }

  const secret = input.secret === undefined ? (defaults.secret ?? null) : input.secret;
  if (secret !== null && typeof secret !== 'string') {
    errors.secret = 'The secret must be a string.';
  }
  if (Object.keys(errors).length > 0) {
    throw platformError(400, [], errors);
  }

  return {
    name: name as string,
    url: url as string,
    events: events as string[],
    jqlFilter,
    excludeBody: input.excludeBody === undefined ? (defaults.excludeBody ?? false) : input.excludeBody === true,
    enabled: input.enabled === undefined ? (defaults.enabled ?? true) : input.enabled !== false,
    secret: secret as string | null,
  };
}

export function registerWebhook(core: FakeJiraCore, actor: UserRecord, input: WebhookInput): WebhookRecord {
  const record: WebhookRecord = {
    id: core.store.webhookIds.take(),
    ...validate(core, input, {}),
    lastUpdatedUserId: actor.accountId,
    lastUpdated: core.now(),
  };
  core.store.webhooks.set(record.id, record);
  return record;
}

export function updateWebhook(core: FakeJiraCore, actor: UserRecord, record: WebhookRecord, input: WebhookInput): WebhookRecord {
  Object.assign(record, validate(core, input, record), { lastUpdatedUserId: actor.accountId, lastUpdated: core.now() });
  return record;
}

export function webhookOrThrow(core: FakeJiraCore, id: string): WebhookRecord {
  const record = core.store.webhooks.get(id);
  if (!record) {
    throw platformError(404, [`Webhook with id ${id} does not exist.`]);
  }
  return record;
}

/** Renders a registration without its secret, which is write-only. */
export function renderWebhook(view: ViewContext, record: WebhookRecord): Record<string, unknown> {
  const user = view.store.user(record.lastUpdatedUserId);
  return {
    self: view.url(`/rest/webhooks/1.0/webhook/${record.id}`),
    name: record.name,
    url: record.url,
    excludeBody: record.excludeBody,
    filters: { [FILTER_KEY]: record.jqlFilter },
    events: record.events,
    enabled: record.enabled,
    lastUpdatedUser: view.isCloud ? user?.accountId : user?.key,
    lastUpdatedDisplayName: user?.displayName,
    lastUpdated: record.lastUpdated,
  };
}
