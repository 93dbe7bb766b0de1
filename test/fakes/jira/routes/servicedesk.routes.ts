/** Service desks, request types and their fields, desk customers and organisations, temporary attachments. */
import { Router } from 'express';

import { requireRole } from '../auth';
import { jsmError } from '../errors';
import type { FieldDefinition } from '../fields';
import { handle, jsonBody, param, queryString, stateOf } from '../http-utils';
import { renderOrganization, renderRequestType, renderServiceDesk, requestFormFieldIds } from '../jsm-views';
import { organizationOrThrow, resolveJsmUserList } from '../request-operations';
import type { RequestTypeRecord } from '../seed';
import type { ViewContext } from '../view-context';
import { uploadedFiles } from './attachments.routes';
import type { ApiDeps } from './deps';
import { pageParameters, requireExperimentalOptIn, serviceDeskOrThrow, sendJsmPage } from './jsm-helpers';

function validValues(view: ViewContext, field: FieldDefinition): unknown[] {
  if (field.id === 'priority') {
    return view.store.priorities().map((priority) => ({ value: priority.id, label: priority.name, children: [] }));
  }
  return (field.options ?? []).map((option) => ({ value: option.id, label: option.value, children: [] }));
}

function renderRequestTypeFields(view: ViewContext, type: RequestTypeRecord): Record<string, unknown> {
  const fields = requestFormFieldIds(view.settings, type)
    .map((id) => view.store.catalog.byId(id))
    .filter((field) => field !== undefined)
    .map((field) => ({
      fieldId: field.id,
      name: field.name,
      description: '',
      required: type.requiredFieldIds.includes(field.id),
      defaultValues: [],
      validValues: validValues(view, field),
      jiraSchema: field.schema,
      visible: true,
    }));
  return { requestTypeFields: fields, canRaiseOnBehalfOf: true, canAddRequestParticipants: true };
}

export function serviceDeskRoutes(deps: ApiDeps): Router {
  const router = Router();
  const store = deps.core.store;

  router.get(
    '/rest/servicedeskapi/info',
    handle((_req, res) => {
      res.json({ version: '5.12.0', platformVersion: '9.12.2', buildDate: stateOf(res).view.jsmDate(Date.UTC(2024, 0, 15)), _links: { self: stateOf(res).view.url('/rest/servicedeskapi/info') } });
    }),
  );

  router.get(
    '/rest/servicedeskapi/servicedesk',
    handle((req, res) => {
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, store.serviceDesks().map((desk) => renderServiceDesk(stateOf(res).view, desk)), start, limit, '/rest/servicedeskapi/servicedesk');
    }),
  );

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey',
    handle((req, res) => {
      res.json(renderServiceDesk(stateOf(res).view, serviceDeskOrThrow(deps, param(req, 'idOrKey'))));
    }),
  );

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey/requesttype',
    handle((req, res) => {
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const search = queryString(req, 'searchQuery')?.toLowerCase();
      const groupId = queryString(req, 'groupId');
      const types = store.requestTypes.filter(
        (type) => type.serviceDeskId === desk.id && (!search || type.name.toLowerCase().includes(search)) && (!groupId || type.groupIds.includes(groupId)),
      );
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, types.map((type) => renderRequestType(stateOf(res).view, type)), start, limit, `/rest/servicedeskapi/servicedesk/${desk.id}/requesttype`);
    }),
  );

  const requestTypeOrThrow = (deskId: string, typeId: string): RequestTypeRecord => {
    const type = store.requestTypes.find((candidate) => candidate.serviceDeskId === deskId && candidate.id === typeId);
    if (!type) {
      throw jsmError(404, 'The request type you specified does not exist.', 'sd.request.type.not.found');
    }
    return type;
  };

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey/requesttype/:typeId',
    handle((req, res) => {
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      res.json(renderRequestType(stateOf(res).view, requestTypeOrThrow(desk.id, param(req, 'typeId'))));
    }),
  );

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey/requesttype/:typeId/field',
    handle((req, res) => {
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      res.json(renderRequestTypeFields(stateOf(res).view, requestTypeOrThrow(desk.id, param(req, 'typeId'))));
    }),
  );

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey/requesttypegroup',
    handle((req, res) => {
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, [{ id: '1', name: 'Common requests' }], start, limit, `/rest/servicedeskapi/servicedesk/${desk.id}/requesttypegroup`);
    }),
  );

  router.get(
    '/rest/servicedeskapi/requesttype',
    handle((req, res) => {
      requireExperimentalOptIn(deps, req);
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, store.requestTypes.map((type) => renderRequestType(stateOf(res).view, type)), start, limit, '/rest/servicedeskapi/requesttype');
    }),
  );

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey/customer',
    handle((req, res) => {
      requireExperimentalOptIn(deps, req);
      const { view, user } = stateOf(res);
      requireRole(user, 'agent');
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const query = queryString(req, 'query')?.toLowerCase();
      const customers = [...(store.serviceDeskCustomers.get(desk.id) ?? [])]
        .map((id) => store.user(id))
        .filter((customer) => customer !== undefined)
        .filter((customer) => !query || customer.displayName.toLowerCase().includes(query) || customer.emailAddress.toLowerCase().includes(query));
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, customers.map((customer) => view.jsmUser(customer)), start, limit, `/rest/servicedeskapi/servicedesk/${desk.id}/customer`);
    }),
  );

  const changeDeskCustomers = (verb: 'add' | 'remove') =>
    handle((req, res) => {
      requireExperimentalOptIn(deps, req);
      requireRole(stateOf(res).user, 'agent');
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const users = resolveJsmUserList(deps.core, jsonBody(req));
      const customers = store.serviceDeskCustomers.get(desk.id) ?? new Set<string>();
      for (const customer of users) {
        if (verb === 'add') {
          customers.add(customer.accountId);
        } else {
          customers.delete(customer.accountId);
        }
      }
      store.serviceDeskCustomers.set(desk.id, customers);
      res.status(204).end();
    });
  router.post('/rest/servicedeskapi/servicedesk/:idOrKey/customer', changeDeskCustomers('add'));
  router.delete('/rest/servicedeskapi/servicedesk/:idOrKey/customer', changeDeskCustomers('remove'));

  router.get(
    '/rest/servicedeskapi/servicedesk/:idOrKey/organization',
    handle((req, res) => {
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const organizations = [...(store.serviceDeskOrganizations.get(desk.id) ?? [])].map((id) => organizationOrThrow(deps.core, id));
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, organizations.map((organization) => renderOrganization(stateOf(res).view, organization)), start, limit, `/rest/servicedeskapi/servicedesk/${desk.id}/organization`);
    }),
  );

  const changeDeskOrganization = (verb: 'add' | 'remove') =>
    handle((req, res) => {
      requireRole(stateOf(res).user, 'agent');
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const body = jsonBody(req) as Record<string, unknown>;
      const organization = organizationOrThrow(deps.core, String(body?.organizationId));
      const linked = store.serviceDeskOrganizations.get(desk.id) ?? new Set<string>();
      if (verb === 'add') {
        linked.add(organization.id);
      } else {
        linked.delete(organization.id);
      }
      store.serviceDeskOrganizations.set(desk.id, linked);
      res.status(204).end();
    });
  router.post('/rest/servicedeskapi/servicedesk/:idOrKey/organization', changeDeskOrganization('add'));
  router.delete('/rest/servicedeskapi/servicedesk/:idOrKey/organization', changeDeskOrganization('remove'));

  // NOTE: the body of this private route is modelled on what Waldur reads from it (`id`, `name`, `issueType`), not on a capture.
  router.get(
    '/rest/servicedesk/:version/servicedesk/:projectKey/groups/:deskId/request-types',
    handle((req, res) => {
      if (!deps.core.settings.requestTypesWithoutIssueTypeId) {
        throw jsmError(404, 'This private route exists only on old Service Desk versions.', 'sd.route.not.found');
      }
      const desk = serviceDeskOrThrow(deps, param(req, 'deskId'));
      if (desk.projectKey.toLowerCase() !== param(req, 'projectKey').toLowerCase()) {
        throw jsmError(404, `The service desk ${desk.id} does not belong to project ${param(req, 'projectKey')}.`, 'sd.service.desk.not.found');
      }
      const types = store.requestTypes.filter((type) => type.serviceDeskId === desk.id);
      res.json(types.map((type) => ({ id: Number(type.id), name: type.name, description: type.description, issueType: Number(type.issueTypeId), groupIds: type.groupIds.map(Number) })));
    }),
  );

  router.post(
    '/rest/servicedeskapi/servicedesk/:idOrKey/attachTemporaryFile',
    handle((req, res) => {
      const { user } = stateOf(res);
      const desk = serviceDeskOrThrow(deps, param(req, 'idOrKey'));
      const temporaryAttachments = uploadedFiles(deps, req).map((file) => {
        const id = `temp${store.temporaryAttachmentIds.take()}`;
        store.temporaryAttachments.set(id, { id, serviceDeskId: desk.id, filename: file.filename, mimeType: file.mimeType, content: file.content, authorId: user.accountId });
        return { temporaryAttachmentId: id, fileName: file.filename };
      });
      res.status(201).json({ temporaryAttachments });
    }),
  );
  return router;
}
