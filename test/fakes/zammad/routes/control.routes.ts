import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';

import type { ArticleInput, FileInput, TicketInput } from '../agent';
import type { FakeSettings } from '../context';
import { DEFAULT_SETTINGS } from '../context';
import { ZammadError } from '../errors';
import type { FaultRuleInput } from '../faults';
import { describeLoggedRequest } from '../request-log';
import type { FakeZammadControls } from '../server';
import type { RegisterWebhookInput } from '../webhook-controls';
import type { WebhookFaultInput } from '../webhook-dispatcher';

/**
 * Control API under `/__fake/`: JSON in and out, no authentication, not recorded in
 * the request log. Every route calls the same method a test can call on the object
 * returned by `startFakeZammad`. `GET /__fake/` lists the routes.
 */
export function controlRoutes(fake: FakeZammadControls): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json({ routes: CONTROL_ROUTES });
  });

  router.post('/reset', (_req, res) => {
    fake.reset();
    res.json({ reset: true });
  });

  router.get('/settings', (_req, res) => {
    res.json(fake.settings);
  });

  router.patch('/settings', (req, res) => {
    fake.configure(validateSettings(req.body));
    res.json(fake.settings);
  });

  router.post('/search-delay', (req, res) => {
    const milliseconds = Number(req.body?.ms);
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new ZammadError(400, `Invalid "ms" ${JSON.stringify(req.body?.ms)}: give a delay in milliseconds, 0 or more`);
    }
    fake.setSearchDelay(milliseconds, { includeConditionSearch: req.body?.includeConditionSearch === true });
    res.json(fake.settings);
  });

  router.post('/clock', (req, res) => {
    const { now, advanceMs, realTime } = req.body ?? {};
    if (realTime === true) {
      fake.clock.useRealTime();
    }
    if (typeof now === 'string') {
      fake.clock.set(now);
    }
    if (typeof advanceMs === 'number') {
      fake.clock.advance(advanceMs);
    }
    res.json({ now: fake.clock.timestamp(), manual: fake.clock.isManual() });
  });

  router.get('/requests', (req, res) => {
    const method = typeof req.query.method === 'string' ? req.query.method : undefined;
    const path = typeof req.query.path === 'string' ? req.query.path : undefined;
    res.json(fake.requests.list({ method, path }).map(describeLoggedRequest));
  });

  router.delete('/requests', (_req, res) => {
    fake.requests.clear();
    res.json({ cleared: true });
  });

  router.get('/faults', (_req, res) => {
    res.json(fake.faults.list());
  });

  router.post('/faults', (req, res) => {
    res.status(201).json(fake.faults.add(req.body as FaultRuleInput));
  });

  router.delete('/faults', (_req, res) => {
    fake.faults.clear();
    res.json({ cleared: true });
  });

  router.delete('/faults/:id', (req, res) => {
    res.json({ removed: fake.faults.remove(Number(req.params.id)) });
  });

  webhookControlRoutes(router, fake);
  dataRoutes(router, fake);
  actionRoutes(router, fake);
  router.use((req: Request) => {
    throw new ZammadError(404, `No control route ${req.method} /__fake${req.path}; GET /__fake/ lists them`);
  });
  router.use(renderControlError);
  return router;
}

function webhookControlRoutes(router: Router, fake: FakeZammadControls): void {
  router.get('/webhooks', (_req, res) => {
    res.json(fake.webhooks.list());
  });

  router.post('/webhooks', (req, res) => {
    res.status(201).json(fake.webhooks.register(req.body as RegisterWebhookInput));
  });

  router.delete('/webhooks/:id', (req, res) => {
    fake.webhooks.remove(Number(req.params.id));
    res.json({ removed: true });
  });

  router.get('/webhook-deliveries', (_req, res) => {
    res.json(fake.webhooks.deliveries());
  });

  router.post('/webhook-deliveries/wait', async (req, res) => {
    await fake.webhooks.waitForIdle(typeof req.body?.timeoutMs === 'number' ? req.body.timeoutMs : undefined);
    res.json(fake.webhooks.deliveries());
  });

  router.get('/webhook-faults', (_req, res) => {
    res.json(fake.webhooks.faults());
  });

  router.post('/webhook-faults', (req, res) => {
    res.status(201).json(fake.webhooks.addFault(req.body as WebhookFaultInput));
  });

  router.delete('/webhook-faults', (_req, res) => {
    fake.webhooks.clearFaults();
    res.json({ cleared: true });
  });

  router.post('/webhook-deliveries/hold', (_req, res) => {
    fake.webhooks.hold();
    res.json({ holding: true });
  });

  router.post('/webhook-deliveries/release', async (req, res) => {
    const order = req.body?.order === 'original' ? 'original' : 'reverse';
    res.json(await fake.webhooks.release(order));
  });
}

function dataRoutes(router: Router, fake: FakeZammadControls): void {
  router.get('/tickets', (_req, res) => {
    res.json(fake.data.tickets());
  });

  router.get('/tickets/:id', (req, res) => {
    const ticket = fake.data.ticket(Number(req.params.id));
    if (!ticket) {
      throw new ZammadError(404, `Ticket ${req.params.id} not found`);
    }
    res.json({ ticket, articles: fake.data.articles(Number(req.params.id)) });
  });

  router.get('/articles/:id', (req, res) => {
    const article = fake.data.article(Number(req.params.id));
    if (!article) {
      throw new ZammadError(404, `Article ${req.params.id} not found`);
    }
    res.json(article);
  });

  router.get('/attachments/:id', (req, res) => {
    const bytes = fake.data.attachmentBytes(Number(req.params.id));
    if (!bytes) {
      throw new ZammadError(404, `Attachment ${req.params.id} not found`);
    }
    res.type('application/octet-stream').send(bytes);
  });

  router.get('/users', (_req, res) => {
    res.json(fake.data.users());
  });

  router.get('/emails', (_req, res) => {
    res.json(fake.data.outgoingEmails());
  });
}

function actionRoutes(router: Router, fake: FakeZammadControls): void {
  router.post('/agent/tickets', (req, res) => {
    const result = fake.agent.createTicket(req.body as TicketInput);
    res.status(201).json({ ticket: fake.data.ticket(result.ticket.id), article: articleOf(fake, result.article?.id) });
  });

  router.post('/agent/tickets/:id/reply', (req, res) => {
    const article = fake.agent.reply(Number(req.params.id), req.body as ArticleInput);
    res.status(201).json(articleOf(fake, article.id));
  });

  router.post('/agent/tickets/:id/note', (req, res) => {
    const article = fake.agent.note(Number(req.params.id), req.body as ArticleInput);
    res.status(201).json(articleOf(fake, article.id));
  });

  router.post('/agent/tickets/:id/state', (req, res) => {
    const { state, pendingTime, as } = req.body ?? {};
    if (typeof state !== 'string') {
      throw new ZammadError(400, 'Missing "state": give a state name such as "open" or "closed"');
    }
    const ticket = fake.agent.setState(Number(req.params.id), state, { pendingTime, as });
    res.json(fake.data.ticket(ticket.id));
  });

  router.post('/agent/tickets/:id/attachments', (req, res) => {
    const { internal, body, as, ...file } = req.body ?? {};
    const article = fake.agent.attachFile(Number(req.params.id), file as FileInput, { internal, body, as });
    res.status(201).json(articleOf(fake, article.id));
  });

  router.post('/customer/tickets/:id/reply', (req, res) => {
    const article = fake.agent.customerReply(Number(req.params.id), req.body as ArticleInput);
    res.status(201).json(articleOf(fake, article.id));
  });

  router.post('/system/tickets/:id/articles', (req, res) => {
    const article = fake.agent.addSystemArticle(Number(req.params.id), req.body);
    res.status(201).json(articleOf(fake, article.id));
  });
}

function articleOf(fake: FakeZammadControls, articleId: number | undefined): unknown {
  return articleId === undefined ? null : fake.data.article(articleId);
}

function validateSettings(body: unknown): Partial<FakeSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ZammadError(400, 'Invalid settings: send a JSON object');
  }
  for (const [key, value] of Object.entries(body)) {
    if (!(key in DEFAULT_SETTINGS)) {
      throw new ZammadError(400, `Unknown setting "${key}"; known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`);
    }
    const expected = DEFAULT_SETTINGS[key as keyof FakeSettings];
    if (Array.isArray(expected) !== Array.isArray(value) || typeof expected !== typeof value) {
      throw new ZammadError(400, `Invalid value for setting "${key}": expected ${Array.isArray(expected) ? 'an array' : typeof expected}`);
    }
  }
  return body as Partial<FakeSettings>;
}

/** Control errors: Zammad errors keep their status; anything else is a bad control request (400). */
function renderControlError(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const status = error instanceof ZammadError ? error.status : 400;
  const message = error instanceof Error ? error.message : String(error);
  res.status(status).json(error instanceof ZammadError ? error.toBody() : { error: message, error_human: message });
}

const CONTROL_ROUTES = [
  'POST /__fake/reset',
  'GET|PATCH /__fake/settings',
  'POST /__fake/search-delay {ms, includeConditionSearch?}',
  'POST /__fake/clock {now?, advanceMs?, realTime?}',
  'GET|DELETE /__fake/requests (?method=&path=)',
  'GET|POST|DELETE /__fake/faults, DELETE /__fake/faults/:id',
  'GET|POST /__fake/webhooks {endpoint, signatureToken?, name?, triggerName?, sslVerify?}, DELETE /__fake/webhooks/:id',
  'GET /__fake/webhook-deliveries, POST /__fake/webhook-deliveries/wait {timeoutMs?}',
  'POST /__fake/webhook-deliveries/hold, POST /__fake/webhook-deliveries/release {order?: reverse|original}',
  'GET|POST|DELETE /__fake/webhook-faults {kind: duplicate|fail-attempts, attempts?, sendToReceiver?, times?}',
  'GET /__fake/tickets, /__fake/tickets/:id, /__fake/articles/:id, /__fake/attachments/:id, /__fake/users, /__fake/emails',
  'POST /__fake/agent/tickets {title, body, customer?, group?, state?, priority?, attachments?, as?}',
  'POST /__fake/agent/tickets/:id/reply|note {body, contentType?, subject?, to?, cc?, attachments?, as?}',
  'POST /__fake/agent/tickets/:id/state {state, pendingTime?, as?}',
  'POST /__fake/agent/tickets/:id/attachments {filename, data|text, mimeType?, internal?, body?, as?}',
  'POST /__fake/customer/tickets/:id/reply {body, ...}',
  'POST /__fake/system/tickets/:id/articles {body, internal?, type?}',
];
