/** Issue create, get, edit, delete, assignee, properties, changelog and transitions. */
import { Router, type Request, type Response } from 'express';

import { requireRole } from '../auth';
import { renderTransition } from '../entity-views';
import { handle, jsonBody, param, queryBoolean, queryInteger, queryString, stateOf } from '../http-utils';
import { availableTransitions, createIssue, deleteIssue, editIssue, transitionIssue } from '../issue-operations';
import { parseExpand, parseFieldSelection, renderIssue } from '../issue-view';
import { browsableIssue, type ApiDeps } from './deps';
import { propertyRoutes, type PropertyOwner } from './properties.routes';

export function issueRoutes(deps: ApiDeps): Router {
  const router = Router();
  const core = deps.core;

  router.post(
    '/rest/api/2/issue',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to create issues in this project.');
      const issue = createIssue(core, user, jsonBody(req) as Record<string, unknown>);
      res.status(201).json({ id: issue.id, key: issue.key, self: view.url(`/rest/api/2/issue/${issue.id}`) });
    }),
  );

  router.get(
    '/rest/api/2/issue/:idOrKey',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const properties = queryString(req, 'properties');
      res.json(
        renderIssue(view, issue, {
          selection: parseFieldSelection(queryString(req, 'fields'), '*all'),
          expand: parseExpand(queryString(req, 'expand')),
          properties: properties ? properties.split(',') : undefined,
        }),
      );
    }),
  );

  router.put(
    '/rest/api/2/issue/:idOrKey',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to edit issues in this project.');
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      editIssue(core, user, issue, jsonBody(req) as Record<string, unknown>);
      if (queryBoolean(req, 'returnIssue', false)) {
        res.json(renderIssue(view, issue, { selection: parseFieldSelection(undefined, '*all'), expand: parseExpand(queryString(req, 'expand')) }));
        return;
      }
      res.status(204).end();
    }),
  );

  router.delete(
    '/rest/api/2/issue/:idOrKey',
    handle((req, res) => {
      const { user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to delete issues in this project.');
      deleteIssue(core, user, browsableIssue(deps, user, param(req, 'idOrKey')));
      res.status(204).end();
    }),
  );

  router.put(
    '/rest/api/2/issue/:idOrKey/assignee',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to assign issues in this project.');
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const body = jsonBody(req) as Record<string, unknown> | null;
      const reference = view.isCloud ? body?.accountId : (body?.name ?? body?.key);
      const unassign = reference === null || reference === undefined || reference === '-1';
      editIssue(core, user, issue, { fields: { assignee: unassign ? null : body } });
      res.status(204).end();
    }),
  );

  router.get(
    '/rest/api/2/issue/:idOrKey/editmeta',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      res.json(renderIssue(view, issue, { selection: parseFieldSelection('', ''), expand: new Set(['editmeta']) }).editmeta);
    }),
  );

  router.get(
    '/rest/api/2/issue/:idOrKey/changelog',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const startAt = queryInteger(req, 'startAt', 0);
      const maxResults = Math.min(queryInteger(req, 'maxResults', 100), 100);
      const values = issue.changelog.slice(startAt, startAt + maxResults).map((history) => ({
        id: history.id,
        author: view.userById(history.authorId),
        created: view.timestamp(history.created),
        items: history.items,
      }));
      res.json({
        self: view.url(`/rest/api/2/issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`),
        maxResults,
        startAt,
        total: issue.changelog.length,
        isLast: startAt + values.length >= issue.changelog.length,
        values,
      });
    }),
  );

  const issueProperties = (req: Request, res: Response, write: boolean): PropertyOwner => {
    const { user } = stateOf(res);
    if (write) {
      requireRole(user, 'agent');
    }
    const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
    return { properties: issue.properties, collectionPath: `/rest/api/2/issue/${issue.id}/properties`, afterChange: () => core.reindex(issue.id) };
  };
  router.use(
    propertyRoutes({
      path: '/rest/api/2/issue/:idOrKey/properties',
      forRead: (req, res) => issueProperties(req, res, false),
      forWrite: (req, res) => issueProperties(req, res, true),
    }),
  );

  router.get(
    '/rest/api/2/issue/:idOrKey/transitions',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const withFields = parseExpand(queryString(req, 'expand')).has('transitions.fields');
      const only = queryString(req, 'transitionId');
      const transitions = availableTransitions(core, issue).filter((transition) => !only || transition.id === only);
      res.json({ expand: 'transitions', transitions: transitions.map((transition) => renderTransition(view, transition, withFields)) });
    }),
  );

  router.post(
    '/rest/api/2/issue/:idOrKey/transitions',
    handle((req, res) => {
      const { user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to transition this issue.');
      transitionIssue(core, user, browsableIssue(deps, user, param(req, 'idOrKey')), jsonBody(req));
      res.status(204).end();
    }),
  );
  return router;
}
