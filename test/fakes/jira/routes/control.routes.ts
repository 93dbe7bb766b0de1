/** The control API under `/__fake/`: JSON in and out, no authentication, not written to the request log. */
import { Router, type Request } from 'express';

import type { FakeJiraControl } from '../control';
import { platformError } from '../errors';
import type { RouteFaultInput } from '../faults';
import { handle, optionalJsonBody, param, queryString } from '../http-utils';
import type { AttachmentRecord } from '../records';

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

function serializeAttachment(attachment: AttachmentRecord): Record<string, unknown> {
  const { content, ...rest } = attachment;
  return { ...rest, size: content.length, contentBase64: content.toString('base64') };
}

export function controlRoutes(control: FakeJiraControl): Router {
  const router = Router();
  const ok = { ok: true };

  router.post('/reset', handle((_req, res) => { control.reset(); res.json(ok); }));
  router.get('/settings', handle((_req, res) => { res.json(control.settings); }));
  router.patch('/settings', handle((req, res) => { res.json(control.configure(body(req))); }));
  router.post('/clock', handle((req, res) => {
    const input = body(req) as { now?: number | string | null; advanceMs?: number };
    res.json({ now: control.setClock(input) });
  }));
  router.post('/search-delay', handle((req, res) => {
    const ms = Number(body(req).ms);
    if (!Number.isFinite(ms) || ms < 0) {
      throw platformError(400, ["'ms' must be a non-negative number."]);
    }
    control.setSearchVisibilityDelay(ms);
    res.json(ok);
  }));
  router.post('/captcha', handle((req, res) => { control.setCaptcha(body(req).enabled !== false); res.json(ok); }));
  router.post('/oauth/expire', handle((_req, res) => { control.expireOAuthTokens(); res.json(ok); }));

  router.get('/requests', handle((_req, res) => { res.json(control.requests()); }));
  router.delete('/requests', handle((_req, res) => { control.clearRequests(); res.json(ok); }));

  router.post('/faults', handle((req, res) => {
    const input = body(req) as unknown as RouteFaultInput;
    requireString(input as unknown as Record<string, unknown>, 'path');
    res.status(201).json({ id: control.addFault(input) });
  }));
  router.get('/faults', handle((_req, res) => { res.json(control.faults()); }));
  router.delete('/faults', handle((_req, res) => { control.clearFaults(); res.json(ok); }));
  router.delete('/faults/:id', handle((req, res) => { control.removeFault(Number(param(req, 'id'))); res.json(ok); }));

  router.post('/webhooks', handle((req, res) => {
    const input = body(req);
    const record = control.registerWebhook({
      url: requireString(input, 'url'),
      secret: typeof input.secret === 'string' ? input.secret : null,
      events: Array.isArray(input.events) ? input.events.map(String) : undefined,
      name: typeof input.name === 'string' ? input.name : undefined,
      jql: typeof input.jql === 'string' ? input.jql : undefined,
      excludeBody: input.excludeBody === true,
    });
    res.status(201).json(record);
  }));
  router.get('/webhooks', handle((_req, res) => { res.json(control.webhookRegistrations()); }));
  router.get('/webhooks/deliveries', handle((_req, res) => { res.json(control.deliveries()); }));
  router.delete('/webhooks/deliveries', handle((_req, res) => { control.clearDeliveries(); res.json(ok); }));
  router.get('/webhooks/idle', handle(async (_req, res) => { await control.whenWebhooksIdle(); res.json(ok); }));
  router.post('/webhooks/faults', handle((req, res) => {
    const input = body(req);
    const kind = requireString(input, 'kind');
    if (!['drop', 'duplicate', 'bad-signature', 'no-signature', 'pretty-body'].includes(kind)) {
      throw platformError(400, [`Unknown webhook fault '${kind}'; use drop, duplicate, bad-signature, no-signature or pretty-body.`]);
    }
    control.addWebhookFault({
      kind: kind as 'drop',
      times: typeof input.times === 'number' ? input.times : undefined,
      event: typeof input.event === 'string' ? input.event : undefined,
    });
    res.status(201).json(ok);
  }));
  router.get('/webhooks/faults', handle((_req, res) => { res.json(control.webhookFaults()); }));
  router.delete('/webhooks/faults', handle((_req, res) => { control.clearWebhookFaults(); res.json(ok); }));
  router.post('/webhooks/hold', handle((_req, res) => { control.holdWebhooks(); res.json(ok); }));
  router.post('/webhooks/release', handle(async (req, res) => {
    await control.releaseWebhooks(body(req).order === 'reverse' ? 'reverse' : 'fifo');
    res.json(ok);
  }));
  router.delete('/webhooks/:id', handle((req, res) => { control.removeWebhook(param(req, 'id')); res.json(ok); }));

  router.get('/issues', handle((_req, res) => { res.json(control.issueRecords()); }));
  router.get('/issues/:idOrKey', handle((req, res) => {
    const record = control.issueRecord(param(req, 'idOrKey'));
    if (!record) {
      throw platformError(404, [`No issue ${param(req, 'idOrKey')}.`]);
    }
    res.json({ record, rendered: control.renderedIssue(record.id) });
  }));
  router.get('/comments', handle((req, res) => { res.json(control.commentRecords(queryString(req, 'issue'))); }));
  router.get('/attachments', handle((req, res) => { res.json(control.attachmentRecords(queryString(req, 'issue')).map(serializeAttachment)); }));
  router.get('/users', handle((_req, res) => { res.json(control.users()); }));

  router.post('/agent/create-issue', handle((req, res) => {
    const input = body(req);
    res.status(201).json(control.createIssue({ as: input.as as string | undefined, fields: (input.fields ?? {}) as Record<string, unknown> }));
  }));
  router.post('/agent/comment', handle((req, res) => {
    const input = body(req);
    res.status(201).json(control.comment({ issue: requireString(input, 'issue'), body: requireString(input, 'body'), internal: input.internal === true, as: input.as as string | undefined }));
  }));
  router.post('/agent/edit-comment', handle((req, res) => {
    const input = body(req);
    res.json(control.editComment({ issue: requireString(input, 'issue'), commentId: requireString(input, 'commentId'), body: requireString(input, 'body'), as: input.as as string | undefined }));
  }));
  router.post('/agent/delete-comment', handle((req, res) => {
    const input = body(req);
    control.deleteComment({ issue: requireString(input, 'issue'), commentId: requireString(input, 'commentId'), as: input.as as string | undefined });
    res.json(ok);
  }));
  router.post('/agent/transition', handle((req, res) => {
    const input = body(req);
    res.json(control.transition({
      issue: requireString(input, 'issue'),
      transition: requireString(input, 'transition'),
      resolution: input.resolution as string | undefined,
      comment: input.comment as string | undefined,
      as: input.as as string | undefined,
    }));
  }));
  router.post('/agent/assign', handle((req, res) => {
    const input = body(req);
    res.json(control.assign({ issue: requireString(input, 'issue'), assignee: (input.assignee ?? null) as string | null, as: input.as as string | undefined }));
  }));
  router.post('/agent/attach', handle((req, res) => {
    const input = body(req);
    const content = typeof input.contentBase64 === 'string' ? Buffer.from(input.contentBase64, 'base64') : String(input.content ?? '');
    const attachment = control.attach({
      issue: requireString(input, 'issue'),
      filename: requireString(input, 'filename'),
      content,
      mimeType: input.mimeType as string | undefined,
      as: input.as as string | undefined,
    });
    res.status(201).json(serializeAttachment(attachment));
  }));
  router.post('/agent/edit', handle((req, res) => {
    const input = body(req);
    res.json(control.edit({
      issue: requireString(input, 'issue'),
      fields: input.fields as Record<string, unknown> | undefined,
      update: input.update as Record<string, unknown> | undefined,
      as: input.as as string | undefined,
    }));
  }));
  router.post('/agent/delete-issue', handle((req, res) => {
    const input = body(req);
    control.deleteIssue({ issue: requireString(input, 'issue'), as: input.as as string | undefined });
    res.json(ok);
  }));
  return router;
}
