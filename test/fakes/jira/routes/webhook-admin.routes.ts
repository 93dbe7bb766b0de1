/** Jira's admin webhook API, `/rest/webhooks/1.0/webhook`, for administrators only. */
import { Router } from 'express';

import { requireRole } from '../auth';
import { handle, jsonBody, param, stateOf } from '../http-utils';
import { registerWebhook, renderWebhook, updateWebhook, webhookOrThrow, type WebhookInput } from '../webhook-registry';
import type { ApiDeps } from './deps';

const ADMIN_ONLY = 'Only Jira administrators can manage webhooks.';

export function webhookAdminRoutes(deps: ApiDeps): Router {
  const router = Router();
  const core = deps.core;

  router.get(
    '/rest/webhooks/1.0/webhook',
    handle((_req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'admin', ADMIN_ONLY);
      res.json([...core.store.webhooks.values()].map((record) => renderWebhook(view, record)));
    }),
  );

  router.post(
    '/rest/webhooks/1.0/webhook',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'admin', ADMIN_ONLY);
      const record = registerWebhook(core, user, jsonBody(req) as WebhookInput);
      res.status(201).json(renderWebhook(view, record));
    }),
  );

  router.get(
    '/rest/webhooks/1.0/webhook/:id',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'admin', ADMIN_ONLY);
      res.json(renderWebhook(view, webhookOrThrow(core, param(req, 'id'))));
    }),
  );

  router.put(
    '/rest/webhooks/1.0/webhook/:id',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'admin', ADMIN_ONLY);
      const record = updateWebhook(core, user, webhookOrThrow(core, param(req, 'id')), jsonBody(req) as WebhookInput);
      res.json(renderWebhook(view, record));
    }),
  );

  router.delete(
    '/rest/webhooks/1.0/webhook/:id',
    handle((req, res) => {
      requireRole(stateOf(res).user, 'admin', ADMIN_ONLY);
      core.store.webhooks.delete(webhookOrThrow(core, param(req, 'id')).id);
      res.status(204).end();
    }),
  );
  return router;
}
