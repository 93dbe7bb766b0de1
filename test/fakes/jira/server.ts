/**
 * Assembles the fake: one Express app that serves the platform and Service
 * Management APIs at the site root and again under the OAuth gateway prefix
 * `/ex/jira/{cloudId}`, the admin webhook API, the OAuth token stand-in, and
 * the control API under `/__fake/`.
 */
import type { AddressInfo } from 'node:net';
import http from 'node:http';

import express, { type NextFunction, type Request, type Response } from 'express';

import { AuthState, authMiddleware } from './auth';
import { FakeJiraControl } from './control';
import { FakeJiraCore } from './core';
import { renderError, sendErrorBody } from './errors';
import { FaultInjector } from './faults';
import { stateOf } from './http-utils';
import { resolveSettings, type FakeJiraOptions } from './options';
import { RequestLog } from './request-log';
import { attachmentRoutes, MediaSigner, mediaRoutes } from './routes/attachments.routes';
import { commentRoutes } from './routes/comments.routes';
import { controlRoutes } from './routes/control.routes';
import { customerRoutes } from './routes/customers.routes';
import type { ApiDeps } from './routes/deps';
import { issueLinkRoutes } from './routes/issue-links.routes';
import { issueRoutes } from './routes/issues.routes';
import { metaRoutes, publicMetaRoutes } from './routes/meta.routes';
import { oauthRoutes } from './routes/oauth.routes';
import { requestRoutes } from './routes/requests.routes';
import { searchRoutes } from './routes/search.routes';
import { serviceDeskRoutes } from './routes/servicedesk.routes';
import { userRoutes } from './routes/users.routes';
import { webhookAdminRoutes } from './routes/webhook-admin.routes';
import { FakeJiraStore } from './store';
import { WebhookDispatcher } from './webhook-dispatcher';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_BODY_BYTES = 200 * 1024 * 1024;

/** A running fake Jira. Every control is available as a method here and over HTTP under `/__fake/`. */
export interface FakeJira extends FakeJiraControl {
  /** Base URL of the site, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Base URL of the OAuth gateway surface, `<url>/ex/jira/<cloudId>`. */
  readonly gatewayUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

function apiRouter(deps: ApiDeps, signer: MediaSigner): express.Router {
  const router = express.Router();
  for (const routes of [
    metaRoutes(deps),
    userRoutes(deps),
    issueRoutes(deps),
    commentRoutes(deps),
    attachmentRoutes(deps, signer),
    searchRoutes(deps),
    issueLinkRoutes(deps),
    serviceDeskRoutes(deps),
    requestRoutes(deps),
    customerRoutes(deps),
    webhookAdminRoutes(deps),
  ]) {
    router.use(routes);
  }
  router.use((req: Request, res: Response) => {
    sendErrorBody(res, 404, { kind: 'platform', errorMessages: [`null for uri: ${stateOf(res).view.url(req.path)}`], errors: {} });
  });
  return router;
}

function setView(deps: ApiDeps, gateway: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const base = gateway ? `${deps.core.publicBaseUrl}/ex/jira/${String(req.params.cloudId)}` : deps.core.publicBaseUrl;
    stateOf(res).view = deps.core.view(base);
    next();
  };
}

function checkGateway(deps: ApiDeps) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (deps.core.settings.flavour !== 'cloud' || req.params.cloudId !== deps.core.settings.cloudId) {
      sendErrorBody(res, 404, { kind: 'json', value: { code: 404, message: 'Site not found' } });
      return;
    }
    next();
  };
}

/** Starts a fake Jira on 127.0.0.1 (port 0 picks a free port) and resolves once it listens. */
export async function startFakeJira(options: FakeJiraOptions = {}): Promise<FakeJira> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`The fake Jira listens on loopback only; got host "${host}".`);
  }
  const settings = resolveSettings(options);
  const core = new FakeJiraCore(new FakeJiraStore(settings.customFieldIdStart, settings.issueIdStart), settings, options.now);
  const auth = new AuthState();
  const webhooks = new WebhookDispatcher(core);
  const faults = new FaultInjector();
  const log = new RequestLog();
  const control = new FakeJiraControl(core, auth, faults, webhooks, log);
  const deps: ApiDeps = { core, auth, webhooks };
  const signer = new MediaSigner();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
  app.use('/__fake', controlRoutes(control));
  app.use(log.middleware());
  app.use(faults.middleware());
  app.use(oauthRoutes(deps));
  app.use(mediaRoutes(deps, signer));

  const gateway = express.Router({ mergeParams: true });
  gateway.use(checkGateway(deps), setView(deps, true), publicMetaRoutes(deps), authMiddleware(core, auth, true), apiRouter(deps, signer));
  app.use('/ex/jira/:cloudId', gateway);

  // The API router ends with a Jira-style 404, so nothing falls through to a default Express page.
  app.use(setView(deps, false), publicMetaRoutes(deps), authMiddleware(core, auth, false), apiRouter(deps, signer));
  app.use(renderError);

  const server = http.createServer(app);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = options.baseUrl?.replace(/\/$/, '') ?? `http://${urlHost}:${port}`;
  core.publicBaseUrl = url;

  const close = async (): Promise<void> => {
    webhooks.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) {
        socket.destroy();
      }
    });
  };

  const extras = { url, gatewayUrl: `${url}/ex/jira/${settings.cloudId}`, port, close };
  return Object.assign(control, extras) as FakeJira;
}
