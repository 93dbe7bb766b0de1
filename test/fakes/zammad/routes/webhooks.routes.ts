import { Router } from 'express';

import { currentUser } from '../auth';
import type { FakeContext } from '../context';
import { sendJson } from '../http-responses';
import { requestParams } from '../params';
import { assertAdmin } from '../policy';
import { createWebhook, deleteWebhook, findWebhook, updateWebhook } from '../webhook-operations';

/**
 * Zammad's admin routes for webhooks (`admin.webhook` permission). Each active webhook
 * receives every ticket change, as if a trigger without conditions pointed at it.
 */
export function webhookRoutes(ctx: FakeContext): Router {
  const router = Router();

  router.use('/webhooks', (_req, res, next) => {
    assertAdmin(ctx.store, currentUser(res));
    next();
  });

  router.get('/webhooks', (_req, res) => {
    sendJson(res, 200, [...ctx.store.webhooks.values()]);
  });

  router.get('/webhooks/:id', (req, res) => {
    sendJson(res, 200, findWebhook(ctx, req.params.id));
  });

  router.post('/webhooks', (req, res) => {
    sendJson(res, 201, createWebhook(ctx, currentUser(res), requestParams(req)));
  });

  router.put('/webhooks/:id', (req, res) => {
    sendJson(res, 200, updateWebhook(ctx, currentUser(res), req.params.id, requestParams(req)));
  });

  router.delete('/webhooks/:id', (req, res) => {
    deleteWebhook(ctx, req.params.id);
    sendJson(res, 200, {});
  });

  return router;
}
