import express, { NextFunction, Request, Response, Router } from 'express';

import { loginRouter, restAuthMiddleware } from './auth';
import { bulkRouter } from './bulk';
import { collaborationRouter } from './collaboration';
import { controlRouter } from './control';
import { emsQueryRouter } from './ems-query';
import { FakeActionError, FakeInputError, SmaxHttpError } from './errors';
import { FakeContext } from './fake-context';
import type { FakeSmax } from './fake-smax';
import { faultMiddleware } from './faults';
import { filesRouter } from './files';
import { captureMiddleware } from './request-log';

/** Multipart framing allowance on top of `maxUploadBytes` before a body is refused with 413. */
const BODY_OVERHEAD_BYTES = 1024 * 1024;

/**
 * Builds the Express app: the control API under `/__fake/` first (never
 * logged or faulted), then request capture, faults, login and the
 * tenant's REST API under `/rest/{tenant}`.
 */
export function createSmaxApp(ctx: FakeContext, fake: () => FakeSmax): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use('/__fake', controlRouter(fake));
  app.use(captureMiddleware(ctx.requestLog, () => ctx.config.maxUploadBytes + BODY_OVERHEAD_BYTES));
  app.use(faultMiddleware(ctx.faults));
  app.use(loginRouter(ctx));

  const rest = Router({ mergeParams: true });
  rest.use(restAuthMiddleware(ctx));
  rest.use(emsQueryRouter(ctx), bulkRouter(ctx), collaborationRouter(ctx), filesRouter(ctx));
  app.use('/rest/:tenant', rest);

  app.use((req: Request, res: Response) => {
    res.status(404).type('text/plain').send(`No route for ${req.method} ${req.path} on the fake SMAX.`);
  });
  app.use(errorHandler);
  return app;
}

function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof SmaxHttpError) {
    res.status(error.status).type(error.contentType);
    res.send(typeof error.body === 'string' ? error.body : JSON.stringify(error.body));
    return;
  }
  if (error instanceof FakeInputError) {
    res.status(400).json({ error: error.message });
    return;
  }
  if (error instanceof FakeActionError) {
    res.status(422).json({ error: error.message, details: error.details });
    return;
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Errors of Express's own body parsers, such as malformed JSON sent to the control API.
    res.status(status).json({ error: (error as Error).message });
    return;
  }
  res.status(500).json({ error: `The fake SMAX failed: ${error instanceof Error ? error.message : String(error)}` });
}
