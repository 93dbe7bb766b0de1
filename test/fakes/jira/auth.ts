/**
 * Authentication as Jira does it: basic auth with e-mail and API token
 * (Cloud) or user name and password (Data Center), personal access tokens on
 * Data Center, and OAuth 2.0 (3LO) bearer tokens only under the
 * `/ex/jira/{cloudId}` gateway. Failed basic logins get 401 with
 * `X-Seraph-LoginReason: AUTHENTICATED_FAILED`, and once CAPTCHA is tripped
 * every basic login gets 403 `AUTHENTICATION_DENIED` until it is reset.
 */
import type { NextFunction, Request, Response } from 'express';

import type { FakeJiraCore } from './core';
import { htmlErrorPage, JiraHttpError, platformError, sendErrorBody, type ErrorBody } from './errors';
import { stateOf } from './http-utils';
import { INTEGRATION_EMAIL, OAUTH_ACCESS_TOKEN, OAUTH_REFRESH_TOKEN, PERSONAL_ACCESS_TOKEN, type Role, type UserRecord } from './seed';

const UNAUTHENTICATED_MESSAGE = 'Client must be authenticated to access this resource.';

/** Credentials state that changes at run time: failed logins, CAPTCHA, issued OAuth tokens. */
export class AuthState {
  captchaRequired = false;
  failedLogins = new Map<string, number>();
  accessTokens = new Set<string>([OAUTH_ACCESS_TOKEN]);
  refreshToken = OAUTH_REFRESH_TOKEN;
  private issued = 0;

  reset(): void {
    this.captchaRequired = false;
    this.failedLogins.clear();
    this.accessTokens = new Set([OAUTH_ACCESS_TOKEN]);
    this.refreshToken = OAUTH_REFRESH_TOKEN;
    this.issued = 0;
  }

  /** Rotates the refresh token and issues a new access token, as Atlassian's token endpoint does. */
  refresh(): { accessToken: string; refreshToken: string } {
    this.issued += 1;
    const accessToken = `${OAUTH_ACCESS_TOKEN}-${this.issued}`;
    this.refreshToken = `${OAUTH_REFRESH_TOKEN}-${this.issued}`;
    this.accessTokens.add(accessToken);
    return { accessToken, refreshToken: this.refreshToken };
  }

  /** Makes every OAuth access token invalid, as when they expire. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }
}

function unauthorizedBody(core: FakeJiraCore): ErrorBody {
  switch (core.settings.authFailureBody) {
    case 'cloud-message':
      return { kind: 'json', value: { message: UNAUTHENTICATED_MESSAGE, 'status-code': 401 } };
    case 'html':
      return { kind: 'html', html: htmlErrorPage(401, 'Unauthorized') };
    case 'envelope':
      return { kind: 'platform', errorMessages: [UNAUTHENTICATED_MESSAGE], errors: {} };
  }
}

function gatewayUnauthorized(): JiraHttpError {
  return new JiraHttpError(401, { kind: 'json', value: { code: 401, message: 'Unauthorized' } });
}

function decodeBasic(header: string): { login: string; secret: string } | null {
  const decoded = Buffer.from(header.slice('basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : { login: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function findLogin(core: FakeJiraCore, login: string): UserRecord | undefined {
  const lower = login.toLowerCase();
  return [...core.store.users.values()].find(
    (user) => user.emailAddress.toLowerCase() === lower || (core.settings.flavour === 'datacenter' && user.name.toLowerCase() === lower),
  );
}

function authenticateBasic(core: FakeJiraCore, auth: AuthState, header: string, res: Response, baseUrl: string): UserRecord {
  if (auth.captchaRequired) {
    throw new JiraHttpError(403, { kind: 'platform', errorMessages: ['CAPTCHA_CHALLENGE'], errors: {} }, {
      'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
      'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${baseUrl}/login.jsp`,
    });
  }
  const credentials = decodeBasic(header);
  const user = credentials ? findLogin(core, credentials.login) : undefined;
  if (!credentials || !user || user.secret === undefined || user.secret !== credentials.secret || !user.active) {
    const key = credentials?.login.toLowerCase() ?? '';
    const failures = (auth.failedLogins.get(key) ?? 0) + 1;
    auth.failedLogins.set(key, failures);
    const limit = core.settings.captchaAfterFailures;
    if (limit > 0 && failures >= limit) {
      auth.captchaRequired = true;
    }
    throw new JiraHttpError(401, unauthorizedBody(core), {
      'WWW-Authenticate': 'Basic realm="protected-area"',
      'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
    });
  }
  auth.failedLogins.delete(credentials.login.toLowerCase());
  res.setHeader('X-Seraph-LoginReason', 'OK');
  if (core.settings.flavour === 'datacenter') {
    res.setHeader('X-AUSERNAME', user.name);
  }
  return user;
}

function integrationUser(core: FakeJiraCore): UserRecord {
  const user = core.store.findUser(INTEGRATION_EMAIL);
  if (!user) {
    throw new Error('The integration user is missing from the seed data.');
  }
  return user;
}

/**
 * Resolves the caller. `viaGateway` is true under `/ex/jira/{cloudId}`,
 * where only OAuth bearer tokens and basic auth are accepted.
 */
export function authenticate(core: FakeJiraCore, auth: AuthState, req: Request, res: Response, viaGateway: boolean): UserRecord {
  const header = req.headers.authorization ?? '';
  const baseUrl = stateOf(res).view.baseUrl;
  if (/^basic /i.test(header)) {
    return authenticateBasic(core, auth, header, res, baseUrl);
  }
  if (/^bearer /i.test(header)) {
    const token = header.slice('bearer '.length).trim();
    if (viaGateway) {
      if (auth.accessTokens.has(token)) {
        return integrationUser(core);
      }
      throw gatewayUnauthorized();
    }
    if (core.settings.flavour === 'datacenter' && token === PERSONAL_ACCESS_TOKEN) {
      return integrationUser(core);
    }
    throw new JiraHttpError(401, unauthorizedBody(core), { 'WWW-Authenticate': 'Bearer realm="protected-area"' });
  }
  if (viaGateway) {
    throw gatewayUnauthorized();
  }
  throw new JiraHttpError(401, unauthorizedBody(core), { 'WWW-Authenticate': 'Basic realm="protected-area"' });
}

/** Express middleware that stores the caller in `res.locals.user` or rejects the request with 401 or 403. */
export function authMiddleware(core: FakeJiraCore, auth: AuthState, viaGateway: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      stateOf(res).user = authenticate(core, auth, req, res, viaGateway);
      next();
    } catch (error) {
      if (error instanceof JiraHttpError) {
        sendErrorBody(res, error.status, error.body, error.headers);
        return;
      }
      next(error);
    }
  };
}

const ROLE_RANK: Record<Role, number> = { none: 0, customer: 1, agent: 2, admin: 3 };

/** Throws 403 unless the caller has at least `role`. */
export function requireRole(user: UserRecord, role: Role, message = 'You do not have permission to perform this operation.'): void {
  if (ROLE_RANK[user.role] < ROLE_RANK[role]) {
    throw platformError(403, [message]);
  }
}
