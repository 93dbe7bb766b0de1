import express, { Router } from 'express';
import type { Express, NextFunction, Request, Response } from 'express';

import { authenticate } from './auth';
import { parseBody } from './body-parser';
import type { FakeContext } from './context';
import { ZammadError } from './errors';
import type { FaultInjector } from './faults';
import { sendHtmlError, sendJson } from './http-responses';
import type { RequestLog } from './request-log';
import { articleRoutes } from './routes/articles.routes';
import { referenceRoutes } from './routes/reference.routes';
import { tagRoutes } from './routes/tags.routes';
import { ticketRoutes } from './routes/tickets.routes';
import { userRoutes } from './routes/users.routes';
import { webhookRoutes } from './routes/webhooks.routes';

/** Largest request body accepted, matching the size of attachments tests upload. */
const BODY_LIMIT = '100mb';

/**
 * Builds the Express app: control routes under `/__fake` (JSON, no auth, not logged),
 * then, for everything else, the request log, body parsing, fault injection,
 * authentication and the Zammad routes under `/api/v1`.
 */
export function createApp(
  ctx: FakeContext,
  parts: { requests: RequestLog; faults: FaultInjector; controlRoutes: Router },
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use('/__fake', express.json({ limit: BODY_LIMIT }), parts.controlRoutes, renderError);

  app.use(express.raw({ type: () => true, limit: BODY_LIMIT }));
  app.use(parts.requests.middleware());
  app.use(parseBody);
  app.use(parts.faults.middleware());

  const api = Router();
  api.use(authenticate(ctx.store));
  api.use(ticketRoutes(ctx));
  api.use(articleRoutes(ctx));
  api.use(userRoutes(ctx));
  api.use(referenceRoutes(ctx));
  api.use(tagRoutes(ctx));
  api.use(webhookRoutes(ctx));
  app.use('/api/v1', api);

  app.use((req: Request) => {
    throw new ZammadError(404, `No route matches [${req.method}] ${req.path}`);
  });
  app.use(renderError);
  return app;
}

/**
 * Renders errors in Zammad's envelope, or as an HTML page when the client asks for
 * HTML only. Unexpected errors become 500 with their message, as Zammad shows them to
 * admins.
 */
function renderError(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const zammadError = toZammadError(error);
  if (zammadError.status === 401 || zammadError.status === 403) {
    res.setHeader('X-Failure', zammadError.message);
  }
  const accept = req.header('accept') ?? '';
  if (/text\/html/.test(accept) && !/json|\*\/\*/.test(accept)) {
    sendHtmlError(res, zammadError.status, zammadError.message);
    return;
  }
  sendJson(res, zammadError.status, zammadError.toBody());
}

function toZammadError(error: unknown): ZammadError {
  if (error instanceof ZammadError) {
    return error;
  }
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ZammadError(status, message);
  }
  return new ZammadError(500, message);
}
