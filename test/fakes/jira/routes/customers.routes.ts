/** JSM customers and organisations. */
import { Router } from 'express';

import { requireRole } from '../auth';
import { handle, jsonBody, param, stateOf } from '../http-utils';
import { renderOrganization } from '../jsm-views';
import { createCustomer, createOrganization, organizationOrThrow, resolveJsmUserList } from '../request-operations';
import type { ApiDeps } from './deps';
import { pageParameters, requireExperimentalOptIn, sendJsmPage } from './jsm-helpers';

export function customerRoutes(deps: ApiDeps): Router {
  const router = Router();
  const core = deps.core;

  router.post(
    '/rest/servicedeskapi/customer',
    handle((req, res) => {
      requireExperimentalOptIn(deps, req);
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to create customers.');
      res.status(201).json(view.jsmUser(createCustomer(core, jsonBody(req))));
    }),
  );

  router.get(
    '/rest/servicedeskapi/organization',
    handle((req, res) => {
      const { view } = stateOf(res);
      const { start, limit } = pageParameters(req);
      const organizations = [...core.store.organizations.values()].map((organization) => renderOrganization(view, organization));
      sendJsmPage(res, organizations, start, limit, '/rest/servicedeskapi/organization');
    }),
  );

  router.post(
    '/rest/servicedeskapi/organization',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to create organizations.');
      res.status(201).json(renderOrganization(view, createOrganization(core, jsonBody(req))));
    }),
  );

  router.get(
    '/rest/servicedeskapi/organization/:id',
    handle((req, res) => {
      res.json(renderOrganization(stateOf(res).view, organizationOrThrow(core, param(req, 'id'))));
    }),
  );

  router.delete(
    '/rest/servicedeskapi/organization/:id',
    handle((req, res) => {
      requireRole(stateOf(res).user, 'agent');
      const organization = organizationOrThrow(core, param(req, 'id'));
      core.store.organizations.delete(organization.id);
      for (const linked of core.store.serviceDeskOrganizations.values()) {
        linked.delete(organization.id);
      }
      res.status(204).end();
    }),
  );

  router.get(
    '/rest/servicedeskapi/organization/:id/user',
    handle((req, res) => {
      const { view } = stateOf(res);
      const organization = organizationOrThrow(core, param(req, 'id'));
      const members = organization.memberIds.map((id) => core.store.user(id)).filter((member) => member !== undefined);
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, members.map((member) => view.jsmUser(member)), start, limit, `/rest/servicedeskapi/organization/${organization.id}/user`);
    }),
  );

  for (const [method, verb] of [['post', 'add'], ['delete', 'remove']] as const) {
    router[method](
      '/rest/servicedeskapi/organization/:id/user',
      handle((req, res) => {
        requireRole(stateOf(res).user, 'agent');
        const organization = organizationOrThrow(core, param(req, 'id'));
        const ids = resolveJsmUserList(core, jsonBody(req)).map((user) => user.accountId);
        if (verb === 'add') {
          organization.memberIds = [...new Set([...organization.memberIds, ...ids])];
        } else {
          organization.memberIds = organization.memberIds.filter((id) => !ids.includes(id));
        }
        res.status(204).end();
      }),
    );
  }
  return router;
}
