import { Router } from 'express';

import { currentUser } from '../auth';
import type { FakeContext } from '../context';
import { forbidden, notFound, unprocessable } from '../errors';
import { sendJson } from '../http-responses';
import { PAGE_LIMITS, applyPagination, paginate } from '../pagination';
import { isFlagSet, optionalString, requestParams, toId } from '../params';
import { assertAgent } from '../policy';
import {
  renderGroup,
  renderGroupWithNames,
  renderOrganization,
  renderOrganizationWithNames,
  renderPriority,
  renderState,
} from '../render';
import type { JsonObject, OrganizationRecord, UserRecord } from '../types';

/** Groups, ticket states, ticket priorities and organisations. */
export function referenceRoutes(ctx: FakeContext): Router {
  const router = Router();
  const { store } = ctx;

  router.get('/groups', (req, res) => {
    assertAgent(store, currentUser(res));
    const params = requestParams(req);
    const groups = applyPagination([...store.groups.values()], paginate(params, PAGE_LIMITS.referenceIndex));
    const render = isFlagSet(params.expand) ? renderGroupWithNames : renderGroup;
    sendJson(res, 200, groups.map((group) => render(store, group)));
  });

  router.get('/groups/:id', (req, res) => {
    assertAgent(store, currentUser(res));
    const group = store.groups.get(toId(req.params.id) ?? -1);
    if (!group) {
      throw notFound('Group', req.params.id);
    }
    const render = isFlagSet(requestParams(req).expand) ? renderGroupWithNames : renderGroup;
    sendJson(res, 200, render(store, group));
  });

  router.get('/ticket_states', (req, res) => {
    const expand = isFlagSet(requestParams(req).expand);
    sendJson(res, 200, [...store.states.values()].map((state) => renderState(store, state, expand)));
  });

  router.get('/ticket_states/:id', (req, res) => {
    const state = store.states.get(toId(req.params.id) ?? -1);
    if (!state) {
      throw notFound('Ticket::State', req.params.id);
    }
    sendJson(res, 200, renderState(store, state, isFlagSet(requestParams(req).expand)));
  });

  router.get('/ticket_priorities', (req, res) => {
    const expand = isFlagSet(requestParams(req).expand);
    sendJson(res, 200, [...store.priorities.values()].map((priority) => renderPriority(store, priority, expand)));
  });

  router.get('/ticket_priorities/:id', (req, res) => {
    const priority = store.priorities.get(toId(req.params.id) ?? -1);
    if (!priority) {
      throw notFound('Ticket::Priority', req.params.id);
    }
    sendJson(res, 200, renderPriority(store, priority, isFlagSet(requestParams(req).expand)));
  });

  const renderOrganizationFor = (params: JsonObject, organization: OrganizationRecord) =>
    isFlagSet(params.expand) ? renderOrganizationWithNames(store, organization) : renderOrganization(store, organization);
  const visibleOrganizations = (user: UserRecord) =>
    [...store.organizations.values()].filter(
      (organization) => store.isAgent(user) || store.isAdmin(user) || organization.id === user.organization_id,
    );

  router.get('/organizations', (req, res) => {
    const params = requestParams(req);
    const organizations = applyPagination(visibleOrganizations(currentUser(res)), paginate(params, PAGE_LIMITS.organizationIndex));
    sendJson(res, 200, organizations.map((organization) => renderOrganizationFor(params, organization)));
  });

  router.get('/organizations/search', (req, res) => {
    const params = requestParams(req);
    assertAgent(store, currentUser(res));
    const needle = String(params.query ?? '').toLowerCase();
    const matches = [...store.organizations.values()].filter((organization) =>
      organization.name.toLowerCase().includes(needle),
    );
    const organizations = applyPagination(matches, paginate(params, PAGE_LIMITS.organizationIndex));
    sendJson(res, 200, organizations.map((organization) => renderOrganizationFor(params, organization)));
  });

  router.get('/organizations/:id', (req, res) => {
    const organization = store.organizations.get(toId(req.params.id) ?? -1);
    if (!organization) {
      throw notFound('Organization', req.params.id);
    }
    if (!visibleOrganizations(currentUser(res)).includes(organization)) {
      throw forbidden();
    }
    sendJson(res, 200, renderOrganizationFor(requestParams(req), organization));
  });

  router.post('/organizations', (req, res) => {
    const actor = currentUser(res);
    assertAgent(store, actor);
    const params = requestParams(req);
    const name = optionalString(params.name)?.trim() ?? '';
    if (name === '') {
      throw unprocessable("Name can't be blank");
    }
    if (store.findByName(store.organizations, name)) {
      throw unprocessable('Object already exists!');
    }
    const now = ctx.clock.timestamp();
    const organization: OrganizationRecord = {
      id: store.nextId('organization'),
      name,
      shared: params.shared === undefined ? true : Boolean(params.shared),
      domain: optionalString(params.domain) ?? '',
      domain_assignment: Boolean(params.domain_assignment),
      active: params.active === undefined ? true : Boolean(params.active),
      note: optionalString(params.note) ?? '',
      vip: Boolean(params.vip),
      updated_by_id: actor.id,
      created_by_id: actor.id,
      created_at: now,
      updated_at: now,
      secondary_member_ids: [],
    };
    store.organizations.set(organization.id, organization);
    sendJson(res, 201, renderOrganizationFor(params, organization));
  });

  return router;
}
