import express, { Request, Router } from 'express';

import { AgentCommentInput } from './agent';
import { FakeInputError } from './errors';
import type { FakeSmax } from './fake-smax';
import { FaultRuleInput } from './faults';
import { routeParam } from './http-exchange';
import { RequestLog } from './request-log';
import { EmsProperties, PrivacyType } from './smax-types';
import { WebhookFault, WebhookTargetInput } from './webhooks';

/**
 * Control API under `/__fake/`: JSON in and out, no authentication, never
 * logged or faulted. Each route calls the matching FakeSmax method.
 * Invalid input gets 400, and an agent action that SMAX rejects gets 422.
 */

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FakeInputError('The control request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') {
    throw new FakeInputError(`"${key}" must be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function optionalProperties(body: Record<string, unknown>, key: string): EmsProperties {
  const value = body[key] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FakeInputError(`"${key}" must be an object of EMS properties.`);
  }
  return value as EmsProperties;
}

function attachmentContent(body: Record<string, unknown>): Buffer {
  if (typeof body.contentBase64 === 'string') {
    return Buffer.from(body.contentBase64, 'base64');
  }
  if (typeof body.text === 'string') {
    return Buffer.from(body.text, 'utf8');
  }
  throw new FakeInputError('An attachment needs "contentBase64" (the bytes in base64) or "text" (UTF-8 content).');
}

export function controlRouter(fakeOf: () => FakeSmax): Router {
  const router = Router();
  router.use(express.json({ limit: '100mb' }));

  router.get('/config', (_req, res) => {
    res.json(fakeOf().getConfig());
  });
  router.patch('/config', (req, res) => {
    res.json(fakeOf().configure(bodyOf(req)));
  });
  router.post('/reset', (_req, res) => {
    fakeOf().reset();
    res.status(204).end();
  });
  router.get('/clock', (_req, res) => {
    res.json({ now: fakeOf().now() });
  });
  router.post('/clock/advance', (req, res) => {
    res.json({ now: fakeOf().advanceClock(bodyOf(req).ms as number) });
  });
  router.post('/tokens/expire', (req, res) => {
    const login = bodyOf(req).login;
    if (login !== undefined && typeof login !== 'string') {
      throw new FakeInputError('"login" must be a string when given.');
    }
    res.json({ expired: fakeOf().expireTokens(login) });
  });

  router.get('/log', (_req, res) => {
    res.json(fakeOf().requestLog().map(RequestLog.toJson));
  });
  router.delete('/log', (_req, res) => {
    fakeOf().clearRequestLog();
    res.status(204).end();
  });

  router.get('/faults', (_req, res) => {
    res.json(fakeOf().listFaults());
  });
  router.post('/faults', (req, res) => {
    res.status(201).json(fakeOf().addFault(bodyOf(req) as unknown as FaultRuleInput));
  });
  router.delete('/faults', (_req, res) => {
    fakeOf().clearFaults();
    res.status(204).end();
  });
  router.delete('/faults/:id', (req, res) => {
    res.status(fakeOf().removeFault(routeParam(req, 'id')) ? 204 : 404).end();
  });

  router.get('/webhooks/targets', (_req, res) => {
    res.json(fakeOf().listWebhookTargets());
  });
  router.post('/webhooks/targets', (req, res) => {
    res.status(201).json(fakeOf().addWebhookTarget(bodyOf(req) as unknown as WebhookTargetInput));
  });
  router.delete('/webhooks/targets', (_req, res) => {
    fakeOf().clearWebhookTargets();
    res.status(204).end();
  });
  router.delete('/webhooks/targets/:id', (req, res) => {
    res.status(fakeOf().removeWebhookTarget(routeParam(req, 'id')) ? 204 : 404).end();
  });
  router.post('/webhooks/send', (req, res) => {
    res.json(fakeOf().sendWebhook(requireString(bodyOf(req), 'requestId')));
  });
  router.get('/webhooks/deliveries', (_req, res) => {
    res.json(fakeOf().webhookDeliveries());
  });
  router.delete('/webhooks/deliveries', (_req, res) => {
    fakeOf().clearWebhookDeliveries();
    res.status(204).end();
  });
  router.post('/webhooks/faults', (req, res) => {
    fakeOf().addWebhookFault(bodyOf(req) as unknown as WebhookFault);
    res.status(204).end();
  });
  router.delete('/webhooks/faults', (_req, res) => {
    fakeOf().clearWebhookFaults();
    res.status(204).end();
  });
  router.post('/webhooks/release', (req, res) => {
    const order = bodyOf(req).order ?? 'reverse';
    if (order !== 'reverse' && order !== 'fifo') {
      throw new FakeInputError(`"order" must be "reverse" or "fifo", got ${JSON.stringify(order)}.`);
    }
    res.json({ released: fakeOf().releaseWebhooks(order) });
  });
  router.post('/webhooks/wait', async (req, res) => {
    const timeoutMs = bodyOf(req).timeoutMs;
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || (timeoutMs as number) <= 0)) {
      throw new FakeInputError('"timeoutMs" must be an integer > 0 when given.');
    }
    try {
      await fakeOf().waitForWebhooks(timeoutMs as number | undefined);
    } catch (error) {
      res.status(504).json({ error: (error as Error).message });
      return;
    }
    res.status(204).end();
  });

  router.post('/agent/requests', (req, res) => {
    res.status(201).json(fakeOf().agent.createRequest(optionalProperties(bodyOf(req), 'properties')));
  });
  router.patch('/agent/requests/:id', (req, res) => {
    res.json(fakeOf().agent.updateRequest(routeParam(req, 'id'), optionalProperties(bodyOf(req), 'properties')));
  });
  router.post('/agent/requests/:id/phase', (req, res) => {
    const body = bodyOf(req);
    res.json(fakeOf().agent.setPhase(routeParam(req, 'id'), requireString(body, 'phaseId'), optionalProperties(body, 'properties')));
  });
  router.post('/agent/requests/:id/comments', (req, res) => {
    const body = bodyOf(req);
    const input: AgentCommentInput = {
      body: requireString(body, 'body'),
      privacy: body.privacy as PrivacyType | undefined,
      functionalPurpose: body.functionalPurpose as string | undefined,
      submitterPersonId: body.submitterPersonId as string | undefined,
    };
    res.status(201).json(fakeOf().agent.comment(routeParam(req, 'id'), input));
  });
  router.post('/agent/requests/:id/attachments', (req, res) => {
    const body = bodyOf(req);
    const contentType = body.contentType;
    if (contentType !== undefined && typeof contentType !== 'string') {
      throw new FakeInputError('"contentType" must be a string when given.');
    }
    const result = fakeOf().agent.attach(routeParam(req, 'id'), {
      fileName: requireString(body, 'fileName'),
      contentType,
      content: attachmentContent(body),
    });
    res.status(201).json(result);
  });

  router.get('/entities/:type', (req, res) => {
    res.json(fakeOf().listEntities(routeParam(req, 'type')));
  });
  router.get('/entities/:type/:id', (req, res) => {
    const entity = fakeOf().getEntity(routeParam(req, 'type'), routeParam(req, 'id'));
    if (!entity) {
      res.status(404).json({ error: `${routeParam(req, 'type')} ${routeParam(req, 'id')} was not found.` });
      return;
    }
    res.json(entity);
  });
  router.get('/comments/:requestId', (req, res) => {
    res.json(fakeOf().getComments(routeParam(req, 'requestId')));
  });
  router.get('/files', (_req, res) => {
    res.json(fakeOf().listFiles());
  });
  router.get('/files/:guid', (req, res) => {
    const file = fakeOf().getFile(routeParam(req, 'guid'));
    if (!file) {
      res.status(404).json({ error: `File ${routeParam(req, 'guid')} was not found.` });
      return;
    }
    const { content, ...metadata } = file;
    res.json({ ...metadata, contentLength: content.length, contentBase64: content.toString('base64') });
  });
  router.get('/relationships', (_req, res) => {
    res.json(fakeOf().relationships());
  });

  router.use((req, res) => {
    res.status(404).json({ error: `No control route for ${req.method} /__fake${req.path}.` });
  });
  return router;
}
