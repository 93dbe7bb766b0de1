/**
 * User endpoints. Cloud searches with `query` and rejects `username`, as GDPR
 * strict mode does. Data Center searches with `username` and rejects `query`
 * alone, with the message Waldur looks for to switch parameters. Cloud users
 * who hide their e-mail cannot be found by it.
 */
import { Router, type Request } from 'express';

import { requireRole } from '../auth';
import { issueNotFound, platformError } from '../errors';
import { handle, queryBoolean, queryInteger, queryString, stateOf } from '../http-utils';
import type { UserRecord } from '../seed';
import type { ViewContext } from '../view-context';
import type { ApiDeps } from './deps';

const MAX_USER_RESULTS = 1000;

function matchesText(view: ViewContext, user: UserRecord, text: string | undefined): boolean {
  if (!text) {
    return true;
  }
  const prefix = text.toLowerCase();
  const emailVisible = !(view.isCloud && user.emailHidden);
  const candidates = [
    user.displayName,
    ...user.displayName.split(/\s+/),
    emailVisible ? user.emailAddress : undefined,
    view.isCloud ? undefined : user.name,
  ];
  return candidates.some((candidate) => candidate?.toLowerCase().startsWith(prefix));
}

function page<T>(req: Request, items: T[]): T[] {
  const startAt = queryInteger(req, 'startAt', 0);
  const maxResults = Math.min(queryInteger(req, 'maxResults', 50), MAX_USER_RESULTS);
  return items.slice(startAt, startAt + maxResults);
}

/** Reads the search text: `query` on Cloud, `username` on Data Center. */
function searchText(view: ViewContext, req: Request): string | undefined {
  const query = queryString(req, 'query');
  const username = queryString(req, 'username');
  if (view.isCloud) {
    if (username !== undefined) {
      throw platformError(400, ["The query parameter 'username' is not supported in GDPR strict mode."]);
    }
    return query;
  }
  if (username === undefined && query !== undefined) {
    throw platformError(400, ['The username query parameter was not provided']);
  }
  return username;
}

/** Reads the search text of assignable-user searches, which Data Center also accepts as `username`. */
function assignableSearchText(view: ViewContext, req: Request): string | undefined {
  return view.isCloud ? queryString(req, 'query') : (queryString(req, 'username') ?? queryString(req, 'query'));
}

function assignableUsers(deps: ApiDeps, view: ViewContext, text: string | undefined): UserRecord[] {
  return [...deps.core.store.users.values()].filter((user) => user.assignable && user.active && matchesText(view, user, text));
}

export function userRoutes(deps: ApiDeps): Router {
  const router = Router();
  const store = deps.core.store;

  router.get(
    ['/rest/api/2/myself', '/rest/api/3/myself'],
    handle((_req, res) => {
      const { view, user } = stateOf(res);
      res.json({ ...view.user(user), locale: 'en_US', groups: { size: 0, items: [] }, applicationRoles: { size: 0, items: [] }, expand: 'groups,applicationRoles' });
    }),
  );

  router.get(
    '/rest/api/2/user',
    handle((req, res) => {
      const { view } = stateOf(res);
      const accountId = queryString(req, 'accountId');
      const username = queryString(req, 'username');
      const key = queryString(req, 'key');
      const found = [...store.users.values()].find(
        (user) =>
          (accountId !== undefined && user.accountId === accountId) ||
          (!view.isCloud && username !== undefined && user.name === username) ||
          (!view.isCloud && key !== undefined && user.key === key),
      );
      if (!found) {
        throw platformError(404, ['Specified user does not exist or you do not have required permissions']);
      }
      res.json(view.user(found));
    }),
  );

  router.get(
    '/rest/api/2/user/search',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have the permission to browse users.');
      const text = searchText(view, req);
      if (!text) {
        throw platformError(400, [view.isCloud ? "The query parameter 'query' is required." : 'The username query parameter was not provided']);
      }
      const includeActive = queryBoolean(req, 'includeActive', true);
      const includeInactive = queryBoolean(req, 'includeInactive', false);
      const found = [...store.users.values()].filter(
        (candidate) => ((candidate.active && includeActive) || (!candidate.active && includeInactive)) && matchesText(view, candidate, text),
      );
      res.json(page(req, found).map((candidate) => view.user(candidate)));
    }),
  );

  router.get(
    '/rest/api/2/user/assignable/search',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent');
      const projectKey = queryString(req, 'project');
      const issueKey = queryString(req, 'issueKey');
      if (!projectKey && !issueKey) {
        throw platformError(400, ["The 'project' or 'issueKey' parameter is required."]);
      }
      if (projectKey && !store.project(projectKey)) {
        throw platformError(404, [`No project could be found with key '${projectKey}'.`]);
      }
      if (issueKey && !store.findIssue(issueKey)) {
        throw issueNotFound();
      }
      const text = assignableSearchText(view, req);
      res.json(page(req, assignableUsers(deps, view, text)).map((candidate) => view.user(candidate)));
    }),
  );

  router.get(
    '/rest/api/2/user/assignable/multiProjectSearch',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent');
      const projectKeys = (queryString(req, 'projectKeys') ?? '').split(',').filter((key) => key !== '');
      if (projectKeys.length === 0) {
        throw platformError(400, ["The 'projectKeys' parameter is required."]);
      }
      for (const key of projectKeys) {
        if (!store.project(key)) {
          throw platformError(404, [`No project could be found with key '${key}'.`]);
        }
      }
      const text = assignableSearchText(view, req);
      res.json(page(req, assignableUsers(deps, view, text)).map((candidate) => view.user(candidate)));
    }),
  );

  router.get(
    '/rest/api/2/user/picker',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent');
      const text = queryString(req, 'query') ?? '';
      const found = [...store.users.values()].filter((candidate) => candidate.active && matchesText(view, candidate, text));
      const shown = found.slice(0, queryInteger(req, 'maxResults', 50));
      res.json({
        users: shown.map((candidate) => ({
          ...(view.isCloud ? { accountId: candidate.accountId, accountType: candidate.accountType } : { key: candidate.key, name: candidate.name }),
          displayName: candidate.displayName,
          html: `${candidate.displayName}`,
          avatarUrl: view.avatarUrls(candidate)['16x16'],
        })),
        total: found.length,
        header: `Showing ${shown.length} of ${found.length} matching users`,
      });
    }),
  );
  return router;
}
