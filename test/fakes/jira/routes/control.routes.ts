/** The control API under `/__fake/`: JSON in and out, no authentication, not written to the request log. */
import { Router, type Request } from 'express';

import type { FakeJiraControl } from '../control';
import { platformError } from '../errors';
import type { RouteFaultInput } from '../faults';
import { handle, optionalJsonBody, param, queryString } from '../http-utils';
import type { AttachmentRecord } from '../records';
import type { WebhookFaultKind } from '../webhook-dispatcher';

const WEBHOOK_FAULT_KINDS: WebhookFaultKind[] = ['drop', 'duplicate', 'bad-signature', 'no-signature', 'pretty-body'];
const OK = { ok: true };

function body(req: Request): Record<string, unknown> {
  const parsed = optionalJsonBody(req);
  if (parsed === undefined) {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw platformError(400, ['The control API expects a JSON object.']);
  }
  return parsed as Record<string, unknown>;
}

function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw platformError(400, [`'${name}' is required and must be a string.`]);
  }
  return value;
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  return typeof input[name] === 'string' ? input[name] : undefined;
}

function serializeAttachment(attachment: AttachmentRecord): Record<string, unknown> {
  const { content, ...rest } = attachment;
  return { ...rest, size: content.length, contentBase64: content.toString('base64') };
}

/** Registers the routes for settings, the clock, CAPTCHA and OAuth tokens. */
function settingsRoutes(router: Router, control: FakeJiraControl): void {
  router.post(
    '/reset',
    handle((_req, res) => {
      control.reset();
      res.json(OK);
    }),
  );
  router.get(
    '/settings',
    handle((_req, res) => {
      res.json(control.settings);
    }),
  );
  router.patch(
    '/settings',
    handle((req, res) => {
      res.json(control.configure(body(req)));
    }),
  );
  router.post(
    '/clock',
    handle((req, res) => {
      const input = body(req) as { now?: number | string | null; advanceMs?: number };
      res.json({ now: control.setClock(input) });
    }),
  );
  router.post(
    '/search-delay',
    handle((req, res) => {
      const ms = Number(body(req).ms);
      if (!Number.isFinite(ms) || ms < 0) {
        throw platformError(400, ["'ms' must be a non-negative number of milliseconds."]);
      }
      control.setSearchVisibilityDelay(ms);
      res.json(OK);
    }),
  );
  router.post(
    '/captcha',
    handle((req, res) => {
      control.setCaptcha(body(req).enabled !== false);
      res.json(OK);
    }),
  );
  router.post(
    '/oauth/expire',
    handle((_req, res) => {
      control.expireOAuthTokens();
      res.json(OK);
    }),
  );
}

/** Registers the routes for the request log and route faults. */
function logAndFaultRoutes(router: Router, control: FakeJiraControl): void {
  router.get(
    '/requests',
    handle((_req, res) => {
      res.json(control.requests());
    }),
  );
  router.delete(
    '/requests',
    handle((_req, res) => {
      control.clearRequests();
      res.json(OK);
    }),
  );
  router.post(
    '/faults',
    handle((req, res) => {
      const input = body(req);
      requireString(input, 'path');
      res.status(201).json({ id: control.addFault(input as unknown as RouteFaultInput) });
    }),
  );
  router.get(
    '/faults',
    handle((_req, res) => {
      res.json(control.faults());
    }),
  );
  router.delete(
    '/faults',
    handle((_req, res) => {
      control.clearFaults();
      res.json(OK);
    }),
  );
  router.delete(
    '/faults/:id',
    handle((req, res) => {
      control.removeFault(Number(param(req, 'id')));
      res.json(OK);
    }),
  );
}

/** Registers the routes for webhook targets, deliveries and webhook faults. */
function webhookRoutes(router: Router, control: FakeJiraControl): void {
  router.post(
    '/webhooks',
    handle((req, res) => {
      const input = body(req);
      const record = control.registerWebhook({
        url: requireString(input, 'url'),
        secret: optionalString(input, 'secret') ?? null,
        events: Array.isArray(input.events) ? input.events.map(String) : undefined,
        name: optionalString(input, 'name'),
        jql: optionalString(input, 'jql'),
        excludeBody: input.excludeBody === true,
      });
      res.status(201).json(record);
    }),
  );
  router.get(
    '/webhooks',
    handle((_req, res) => {
      res.json(control.webhookRegistrations());
    }),
  );
  router.get(
    '/webhooks/deliveries',
    handle((_req, res) => {
      res.json(control.deliveries());
    }),
  );
  router.delete(
    '/webhooks/deliveries',
    handle((_req, res) => {
      control.clearDeliveries();
      res.json(OK);
    }),
  );
  router.get(
    '/webhooks/idle',
    handle(async (_req, res) => {
      await control.whenWebhooksIdle();
      res.json(OK);
    }),
  );
  router.post(
    '/webhooks/faults',
    handle((req, res) => {
      const input = body(req);
      const kind = requireString(input, 'kind') as WebhookFaultKind;
      if (!WEBHOOK_FAULT_KINDS.includes(kind)) {
        throw platformError(400, [`Unknown webhook fault '${kind}'. Use one of: ${WEBHOOK_FAULT_KINDS.join(', ')}.`]);
      }
      const times = typeof input.times === 'number' ? input.times : undefined;
      control.addWebhookFault({ kind, times, event: optionalString(input, 'event') });
      res.status(201).json(OK);
    }),
  );
  router.get(
    '/webhooks/faults',
    handle((_req, res) => {
      res.json(control.webhookFaults());
    }),
  );
  router.delete(
    '/webhooks/faults',
    handle((_req, res) => {
      control.clearWebhookFaults();
      res.json(OK);
    }),
  );
  router.post(
    '/webhooks/hold',
    handle((_req, res) => {
      control.holdWebhooks();
      res.json(OK);
    }),
  );
  router.post(
    '/webhooks/release',
    handle(async (req, res) => {
      await control.releaseWebhooks(body(req).order === 'reverse' ? 'reverse' : 'fifo');
      res.json(OK);
    }),
  );
  router.delete(
    '/webhooks/:id',
    handle((req, res) => {
      control.removeWebhook(param(req, 'id'));
      res.json(OK);
    }),
  );
}

/** Registers the routes that read stored issues, comments, attachments and users. */
function stateRoutes(router: Router, control: FakeJiraControl): void {
  router.get(
    '/issues',
    handle((_req, res) => {
      res.json(control.issueRecords());
    }),
  );
  router.get(
    '/issues/:idOrKey',
    handle((req, res) => {
      const record = control.issueRecord(param(req, 'idOrKey'));
      if (!record) {
        throw platformError(404, [`Issue ${param(req, 'idOrKey')} was not found.`]);
      }
      res.json({ record, rendered: control.renderedIssue(record.id) });
    }),
  );
  router.get(
    '/comments',
    handle((req, res) => {
      res.json(control.commentRecords(queryString(req, 'issue')));
    }),
  );
  router.get(
    '/attachments',
    handle((req, res) => {
      res.json(control.attachmentRecords(queryString(req, 'issue')).map(serializeAttachment));
    }),
  );
  router.get(
    '/users',
    handle((_req, res) => {
      res.json(control.users());
    }),
  );
}

/** Registers the agent actions, which run as the agent (or the user named in `as`) through the same operations as the REST API. */
function agentRoutes(router: Router, control: FakeJiraControl): void {
  router.post(
    '/agent/create-issue',
    handle((req, res) => {
      const input = body(req);
      res.status(201).json(control.createIssue({ as: optionalString(input, 'as'), fields: (input.fields ?? {}) as Record<string, unknown> }));
    }),
  );
  router.post(
    '/agent/comment',
    handle((req, res) => {
      const input = body(req);
      const comment = control.comment({
        issue: requireString(input, 'issue'),
        body: requireString(input, 'body'),
        internal: input.internal === true,
        as: optionalString(input, 'as'),
      });
      res.status(201).json(comment);
    }),
  );
  router.post(
    '/agent/edit-comment',
    handle((req, res) => {
      const input = body(req);
      const comment = control.editComment({
        issue: requireString(input, 'issue'),
        commentId: requireString(input, 'commentId'),
        body: requireString(input, 'body'),
        as: optionalString(input, 'as'),
      });
      res.json(comment);
    }),
  );
  router.post(
    '/agent/delete-comment',
    handle((req, res) => {
      const input = body(req);
      control.deleteComment({ issue: requireString(input, 'issue'), commentId: requireString(input, 'commentId'), as: optionalString(input, 'as') });
      res.json(OK);
    }),
  );
  router.post(
    '/agent/transition',
    handle((req, res) => {
      const input = body(req);
      const issue = control.transition({
        issue: requireString(input, 'issue'),
        transition: requireString(input, 'transition'),
        resolution: optionalString(input, 'resolution'),
        comment: optionalString(input, 'comment'),
        as: optionalString(input, 'as'),
      });
      res.json(issue);
    }),
  );
  router.post(
    '/agent/assign',
    handle((req, res) => {
      const input = body(req);
      const assignee = optionalString(input, 'assignee') ?? null;
      res.json(control.assign({ issue: requireString(input, 'issue'), assignee, as: optionalString(input, 'as') }));
    }),
  );
  router.post(
    '/agent/attach',
    handle((req, res) => {
      const input = body(req);
      const base64 = optionalString(input, 'contentBase64');
      const content = base64 === undefined ? String(input.content ?? '') : Buffer.from(base64, 'base64');
      const attachment = control.attach({
        issue: requireString(input, 'issue'),
        filename: requireString(input, 'filename'),
        content,
        mimeType: optionalString(input, 'mimeType'),
        as: optionalString(input, 'as'),
      });
      res.status(201).json(serializeAttachment(attachment));
    }),
  );
  router.post(
    '/agent/edit',
    handle((req, res) => {
      const input = body(req);
      const issue = control.edit({
        issue: requireString(input, 'issue'),
        fields: input.fields as Record<string, unknown> | undefined,
        update: input.update as Record<string, unknown> | undefined,
        as: optionalString(input, 'as'),
      });
      res.json(issue);
    }),
  );
  router.post(
    '/agent/delete-issue',
    handle((req, res) => {
      const input = body(req);
      control.deleteIssue({ issue: requireString(input, 'issue'), as: optionalString(input, 'as') });
      res.json(OK);
    }),
  );
}

export function controlRoutes(control: FakeJiraControl): Router {
  const router = Router();
  settingsRoutes(router, control);
  logAndFaultRoutes(router, control);
  webhookRoutes(router, control);
  stateRoutes(router, control);
  agentRoutes(router, control);
  return router;
}
