/** Issue links and link types. */
import { Router } from 'express';

import { requireRole } from '../auth';
import { renderLinkType } from '../entity-views';
import { platformError } from '../errors';
import { handle, jsonBody, param, stateOf } from '../http-utils';
import { createLink, deleteLink, linkOrThrow } from '../link-operations';
import type { ApiDeps } from './deps';

export function issueLinkRoutes(deps: ApiDeps): Router {
  const router = Router();
  const core = deps.core;

  router.post(
    '/rest/api/2/issueLink',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to link issues.');
      const link = createLink(core, user, jsonBody(req));
      res.status(201).setHeader('Location', view.url(`/rest/api/2/issueLink/${link.id}`)).end();
    }),
  );

  router.get(
    '/rest/api/2/issueLink/:id',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent');
      const link = linkOrThrow(core, param(req, 'id'));
      const inward = core.store.issues.get(link.inwardIssueId);
      const outward = core.store.issues.get(link.outwardIssueId);
      res.json({
        id: link.id,
        self: view.url(`/rest/api/2/issueLink/${link.id}`),
        type: renderLinkType(view, link.typeId),
        inwardIssue: inward ? { id: inward.id, key: inward.key, self: view.url(`/rest/api/2/issue/${inward.id}`) } : null,
        outwardIssue: outward ? { id: outward.id, key: outward.key, self: view.url(`/rest/api/2/issue/${outward.id}`) } : null,
      });
    }),
  );

  router.delete(
    '/rest/api/2/issueLink/:id',
    handle((req, res) => {
      const { user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to delete issue links.');
      deleteLink(core, user, linkOrThrow(core, param(req, 'id')));
      res.status(204).end();
    }),
  );

  router.get(
    '/rest/api/2/issueLinkType',
    handle((_req, res) => {
      const { view } = stateOf(res);
      res.json({ issueLinkTypes: core.store.linkTypes().map((type) => renderLinkType(view, type.id)) });
    }),
  );

  router.get(
    '/rest/api/2/issueLinkType/:id',
    handle((req, res) => {
      const type = core.store.linkTypes().find((candidate) => candidate.id === param(req, 'id'));
      if (!type) {
        throw platformError(404, [`No issue link type with id '${param(req, 'id')}' found.`]);
      }
      res.json(renderLinkType(stateOf(res).view, type.id));
    }),
  );
  return router;
}
