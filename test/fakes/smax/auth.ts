import { createHash } from 'node:crypto';

import { NextFunction, Request, Response, Router } from 'express';

import { FakeClock } from './clock';
import { FakeContext } from './fake-context';
import { exchangeOf, queryValue } from './http-exchange';
import { FAKE_USERS } from './seed';

interface Session {
  token: string;
  login: string;
  personId: string;
  issuedAt: number;
  expired: boolean;
}

/** Tokens handed out by the login endpoint. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private sequence = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly ttlMs: () => number,
  ) {}

  /** Checks the credentials and returns a new session, or undefined when they are wrong. */
  login(login: string, password: string): Session | undefined {
    const user = FAKE_USERS.find((candidate) => candidate.login === login && candidate.password === password);
    if (!user) {
      return undefined;
    }
    this.sequence += 1;
    // Deterministic but opaque, so runs are reproducible and clients cannot read anything into the token.
    const token = createHash('sha256').update(`${user.login}:${this.sequence}`).digest('base64url');
    const session: Session = { token, login: user.login, personId: user.personId, issuedAt: this.clock.now(), expired: false };
    this.sessions.set(token, session);
    return session;
  }

  /** Returns the session of a token that is known, not expired on demand and within the configured lifetime. */
  resolve(token: string | undefined): Session | undefined {
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (!session || session.expired) {
      return undefined;
    }
    const ttl = this.ttlMs();
    if (ttl > 0 && this.clock.now() - session.issuedAt >= ttl) {
      return undefined;
    }
    return session;
  }

  expire(token: string): void {
    const session = this.sessions.get(token);
    if (session) {
      session.expired = true;
    }
  }

  /** Expires every live token, or only those of one login; returns how many were expired. */
  expireAll(login?: string): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (!session.expired && (login === undefined || session.login === login)) {
        session.expired = true;
        count += 1;
      }
    }
    return count;
  }

  reset(): void {
    this.sessions.clear();
    this.sequence = 0;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      return part.slice(separator + 1).trim();
    }
  }
  return undefined;
}

/** Reads the token from the configured cookie, or from `Authorization: Bearer` when that is enabled. */
function readToken(ctx: FakeContext, req: Request): string | undefined {
  const cookie = readCookie(req.headers.cookie, ctx.config.cookieName);
  if (cookie !== undefined) {
    return cookie;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return ctx.config.acceptBearer && match ? match[1] : undefined;
}

function unauthorized(res: Response, message: string): void {
  // NOTE: SMAX's 401 body is not contractual (empty, text or HTML); clients must not parse it.
  res.status(401).type('text/plain').send(message);
}

/**
 * Routes `POST /auth/authentication-endpoint/authenticate/login` and its
 * sibling `.../token`. Both take `{"login","password"}` (or `Login`/`Password`)
 * and return the token as `text/plain`.
 */
export function loginRouter(ctx: FakeContext): Router {
  const router = Router();
  router.post(['/auth/authentication-endpoint/authenticate/login', '/auth/authentication-endpoint/authenticate/token'], (req, res) => {
    const tenant = queryValue(req, 'TENANTID');
    if (tenant !== undefined && tenant !== ctx.tenantId) {
      unauthorized(res, `Authentication failed: unknown tenant ${tenant}.`);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(exchangeOf(res).rawBody.toString('utf8')) as Record<string, unknown>;
    } catch {
      res.status(400).type('text/plain').send('Malformed JSON in login request; expected {"login": "...", "password": "..."}.');
      return;
    }
    const login = body?.login ?? body?.Login;
    const password = body?.password ?? body?.Password;
    const session = typeof login === 'string' && typeof password === 'string' ? ctx.sessions.login(login, password) : undefined;
    if (!session) {
      unauthorized(res, 'Authentication failed: invalid login or password.');
      return;
    }
    const text = ctx.config.quoteLoginToken ? `"${session.token}"` : session.token;
    res.status(200).type('text/plain').send(text);
  });
  return router;
}

/**
 * Guards `/rest/{tenant}/...`: checks the tenant in the path, resolves the
 * token and applies an `expire-token` fault, which expires the presented
 * token so the request and every later one with it get 401.
 */
export function restAuthMiddleware(ctx: FakeContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const tenant = req.params.tenant;
    if (tenant !== ctx.tenantId) {
      res.status(404).type('text/plain').send(`Tenant ${String(tenant)} was not found.`);
      return;
    }
    const token = readToken(ctx, req);
    const session = ctx.sessions.resolve(token);
    if (!session || token === undefined) {
      unauthorized(res, 'Authentication failed: the session token is missing, invalid or expired.');
      return;
    }
    const exchange = exchangeOf(res);
    if (ctx.faults.take(['expire-token'], req.method, exchange.path)) {
      exchange.fault = 'expire-token';
      ctx.sessions.expire(token);
      unauthorized(res, 'Authentication failed: the session token expired.');
      return;
    }
    exchange.actor = { login: session.login, personId: session.personId };
    next();
  };
}
