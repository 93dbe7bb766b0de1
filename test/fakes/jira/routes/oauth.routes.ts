/**
 * Stand-ins for Atlassian's OAuth 2.0 (3LO) token endpoint and site discovery,
 * served at the fake's root: `POST /oauth/token` rotates refresh tokens (the
 * previous one stops working) and `GET /oauth/token/accessible-resources`
 * lists the one site with its cloud id.
 */
import { Router, type Request } from 'express';

import { JiraHttpError } from '../errors';
import { handle, rawBody } from '../http-utils';
import type { ApiDeps } from './deps';

const SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'manage:jira-webhook', 'offline_access'];
const AUTHORIZATION_CODE = 'fake-authorization-code';

function tokenRequest(req: Request): Record<string, string> {
  const text = rawBody(req).toString('utf8');
  if (/application\/json/i.test(String(req.headers['content-type'] ?? ''))) {
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function grantError(description: string): JiraHttpError {
  // NOTE: Atlassian's status for invalid_grant is not documented, so 403 is a guess.
  return new JiraHttpError(403, { kind: 'json', value: { error: 'invalid_grant', error_description: description } });
}

export function oauthRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post(
    '/oauth/token',
    handle((req, res) => {
      const body = tokenRequest(req);
      if (!body.client_id || !body.client_secret) {
        throw new JiraHttpError(401, { kind: 'json', value: { error: 'access_denied', error_description: 'Unauthorized' } });
      }
      if (body.grant_type === 'refresh_token') {
        if (body.refresh_token !== deps.auth.refreshToken) {
          throw grantError('Unknown or invalid refresh token.');
        }
      } else if (body.grant_type === 'authorization_code') {
        if (body.code !== AUTHORIZATION_CODE) {
          throw grantError('Invalid authorization code.');
        }
      } else {
        throw new JiraHttpError(400, { kind: 'json', value: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type.' } });
      }
      const issued = deps.auth.refresh();
      res.json({ access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: 3600, scope: SCOPES.join(' '), token_type: 'Bearer' });
    }),
  );

  router.get(
    '/oauth/token/accessible-resources',
    handle((req, res) => {
      const token = String(req.headers.authorization ?? '').replace(/^bearer\s+/i, '');
      if (!deps.auth.accessTokens.has(token)) {
        throw new JiraHttpError(401, { kind: 'json', value: { code: 401, message: 'Unauthorized' } });
      }
      res.json([
        {
          id: deps.core.settings.cloudId,
          url: deps.core.publicBaseUrl,
          name: 'deskbridge-fake',
          scopes: SCOPES,
          avatarUrl: `${deps.core.publicBaseUrl}/images/site-avatar.png`,
        },
      ]);
    }),
  );
  return router;
}
