import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { ZammadError, unauthorized } from './errors';
import type { FakeStore } from './store';
import type { UserRecord } from './types';

/**
 * Authentication as Zammad's ApplicationController::Authenticates does it: access
 * tokens as `Token token=<t>` or `Bearer <t>`, HTTP Basic with login or e-mail, and
 * `X-On-Behalf-Of` (user id, login or e-mail) for callers with admin rights. The
 * acting user is stored in `res.locals.user`.
 */
export function authenticate(store: FakeStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const caller = resolveCaller(store, req.header('authorization'));
    res.locals.user = applyOnBehalfOf(store, caller, req.header('x-on-behalf-of'));
    next();
  };
}

export function currentUser(res: Response): UserRecord {
  return res.locals.user as UserRecord;
}

function resolveCaller(store: FakeStore, header: string | undefined): UserRecord {
  if (!header) {
    throw new ZammadError(403, 'Authentication required');
  }
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  switch (scheme.toLowerCase()) {
    case 'token':
      return userForToken(store, parseTokenCredentials(credentials), "Can't find User for Token");
    case 'bearer':
      // A personal access token also works as a bearer token; anything else fails
      // the OAuth check that Zammad runs next.
      return userForToken(store, credentials, 'The provided token is invalid.');
    case 'basic':
      return userForBasic(store, credentials);
    default:
      throw new ZammadError(403, 'Authentication required');
  }
}

/** Reads `token=abc`, `token="abc"` or a bare `abc`, as Rails' token parser accepts. */
function parseTokenCredentials(credentials: string): string {
  const match = /(?:^|[\s,])token="?([^",\s]+)"?/i.exec(credentials);
  return match ? match[1] : credentials.replace(/^"|"$/g, '');
}

function userForToken(store: FakeStore, token: string, failure: string): UserRecord {
  const userId = store.tokens.get(token);
  const user = userId === undefined ? undefined : store.users.get(userId);
  if (!user || !user.active) {
    throw unauthorized(failure);
  }
  return user;
}

function userForBasic(store: FakeStore, credentials: string): UserRecord {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const login = separator < 0 ? decoded : decoded.slice(0, separator);
  const password = separator < 0 ? '' : decoded.slice(separator + 1);
  const user = store.findUser(login);
  if (!user || !user.active || store.passwords.get(user.id) !== password) {
    throw unauthorized('Invalid BasicAuth credentials');
  }
  return user;
}

function applyOnBehalfOf(store: FakeStore, caller: UserRecord, onBehalfOf: string | undefined): UserRecord {
  if (onBehalfOf === undefined || onBehalfOf === '') {
    return caller;
  }
  if (!store.isAdmin(caller)) {
    throw unauthorized("Current user has no permission to use 'X-On-Behalf-Of'!");
  }
  const user = store.findUser(onBehalfOf);
  if (!user) {
    throw unauthorized(`No such user '${onBehalfOf}'`);
  }
  return user;
}
