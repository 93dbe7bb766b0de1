/** Reference data: server info, fields, priorities, statuses, resolutions, issue types, projects, link types. */
import { Router, type Request } from 'express';

import {
  renderIssueType,
  renderPriority,
  renderProjectBrief,
  renderResolution,
  renderStatus,
  renderStatusCategory,
} from '../entity-views';
import { platformError } from '../errors';
import { renderFieldDefinition } from '../fields';
import { handle, param, queryInteger, stateOf } from '../http-utils';
import { STATUS_CATEGORIES, type ProjectRecord } from '../seed';
import type { ViewContext } from '../view-context';
import type { ApiDeps } from './deps';

/** Routes that need no credentials, as `serverInfo` on a real site. */
export function publicMetaRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get(
    ['/rest/api/2/serverInfo', '/rest/api/3/serverInfo'],
    handle((_req, res) => {
      const { view } = stateOf(res);
      const cloud = deps.core.settings.flavour === 'cloud';
      res.json({
        baseUrl: deps.core.publicBaseUrl,
        version: cloud ? '1001.0.0-SNAPSHOT' : '9.12.2',
        versionNumbers: cloud ? [1001, 0, 0] : [9, 12, 2],
        deploymentType: cloud ? 'Cloud' : 'Server',
        buildNumber: cloud ? 100245 : 9120002,
        buildDate: view.timestamp(Date.UTC(2024, 0, 15)),
        serverTime: view.timestamp(deps.core.now()),
        scmInfo: '0000000000000000000000000000000000000000',
        serverTitle: 'Deskbridge fake Jira',
      });
    }),
  );
  return router;
}

function renderProject(view: ViewContext, deps: ApiDeps, idOrKey: string): Record<string, unknown> {
  const project = projectOrThrow(deps, idOrKey);
  const lead = deps.core.store.user(project.leadAccountId);
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...renderProjectBrief(view, project),
    description: '',
    lead: lead ? view.user(lead) : null,
    components: [],
    issueTypes: project.issueTypeIds.map((id) => deps.core.store.issueType(id)).filter((type) => type !== undefined).map((type) => renderIssueType(view, type)),
    assigneeType: 'UNASSIGNED',
    versions: [],
    roles: {},
  };
}

function projectOrThrow(deps: ApiDeps, idOrKey: string): ProjectRecord {
  const project = deps.core.store.project(idOrKey);
  if (!project) {
    throw projectNotFound(idOrKey);
  }
  return project;
}

function projectNotFound(idOrKey: string) {
  return platformError(404, [`No project could be found with key '${idOrKey}'.`]);
}

/** Fields of the create screen with the metadata `createmeta` lists for each. */
function createScreenFields(view: ViewContext): Array<Record<string, unknown>> {
  const catalog = view.store.catalog;
  const onScreen = catalog.fields.filter((field) => field.editable && field.kind !== 'comment');
  const fields = [catalog.byId('project'), catalog.byId('issuetype'), ...onScreen].filter((field) => field !== undefined);
  return fields.map((field) => {
    let allowedValues: unknown[] | undefined;
    if (field.id === 'priority') {
      allowedValues = view.store.priorities().map((priority) => renderPriority(view, priority));
    } else if (field.options) {
      allowedValues = field.options.map((option) => ({ self: view.url(`/rest/api/2/customFieldOption/${option.id}`), ...option }));
    }
    return {
      required: ['project', 'issuetype', 'summary'].includes(field.id),
      schema: field.schema,
      name: field.name,
      fieldId: field.id,
      key: field.id,
      hasDefaultValue: field.id === 'priority',
      operations: field.kind === 'labels' || field.kind === 'participants' ? ['add', 'set', 'remove'] : ['set'],
      ...(allowedValues ? { allowedValues } : {}),
    };
  });
}

function createMetaPage(req: Request, values: unknown[]): Record<string, unknown> {
  const startAt = queryInteger(req, 'startAt', 0);
  const maxResults = Math.min(queryInteger(req, 'maxResults', 50), 200);
  const page = values.slice(startAt, startAt + maxResults);
  return { maxResults, startAt, total: values.length, isLast: startAt + page.length >= values.length, values: page };
}

export function metaRoutes(deps: ApiDeps): Router {
  const router = Router();
  const store = deps.core.store;

  router.get(
    ['/rest/api/2/field', '/rest/api/3/field'],
    handle((_req, res) => {
      res.json(store.catalog.fields.map(renderFieldDefinition));
    }),
  );
  router.get(
    '/rest/api/2/priority',
    handle((_req, res) => {
      res.json(store.priorities().map((priority) => renderPriority(stateOf(res).view, priority, true)));
    }),
  );
  router.get(
    '/rest/api/2/priority/:id',
    handle((req, res) => {
      const priority = store.priority(param(req, 'id'));
      if (!priority) {
        throw platformError(404, [`Could not find priority with id '${param(req, 'id')}'.`]);
      }
      res.json(renderPriority(stateOf(res).view, priority, true));
    }),
  );
  router.get(
    '/rest/api/2/status',
    handle((_req, res) => {
      res.json(store.statuses().map((status) => renderStatus(stateOf(res).view, status)));
    }),
  );
  router.get(
    '/rest/api/2/status/:idOrName',
    handle((req, res) => {
      const requested = param(req, 'idOrName').toLowerCase();
      const status = store.statuses().find((candidate) => candidate.id === requested || candidate.name.toLowerCase() === requested);
      if (!status) {
        throw platformError(404, [`The status with id '${param(req, 'idOrName')}' does not exist`]);
      }
      res.json(renderStatus(stateOf(res).view, status));
    }),
  );
  router.get(
    '/rest/api/2/statuscategory',
    handle((_req, res) => {
      const view = stateOf(res).view;
      res.json(Object.values(STATUS_CATEGORIES).map((category) => renderStatusCategory(view, category.key)));
    }),
  );
  router.get(
    '/rest/api/2/resolution',
    handle((_req, res) => {
      res.json(store.resolutions().map((resolution) => renderResolution(stateOf(res).view, resolution)));
    }),
  );
  router.get(
    '/rest/api/2/resolution/:id',
    handle((req, res) => {
      const resolution = store.resolution(param(req, 'id'));
      if (!resolution) {
        throw platformError(404, [`Could not find resolution with id '${param(req, 'id')}'.`]);
      }
      res.json(renderResolution(stateOf(res).view, resolution));
    }),
  );
  router.get(
    '/rest/api/2/issuetype',
    handle((_req, res) => {
      res.json(store.issueTypes().map((type) => renderIssueType(stateOf(res).view, type)));
    }),
  );
  router.get(
    '/rest/api/2/issuetype/:id',
    handle((req, res) => {
      const type = store.issueType(param(req, 'id'));
      if (!type) {
        throw platformError(404, [`The issue type with id '${param(req, 'id')}' does not exist.`]);
      }
      res.json(renderIssueType(stateOf(res).view, type));
    }),
  );
  router.get(
    '/rest/api/2/project',
    handle((_req, res) => {
      const { view, user } = stateOf(res);
      // Jira lists only the projects the caller may browse; portal customers browse none.
      const browsable = user.role === 'customer' || user.role === 'none' ? [] : store.projects();
      res.json(browsable.map((project) => ({ expand: 'description,lead,issueTypes,url,projectKeys', ...renderProjectBrief(view, project) })));
    }),
  );
  router.get(
    '/rest/api/2/project/:idOrKey',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const idOrKey = param(req, 'idOrKey');
      // Jira answers 404, not 403, for a project the caller may not browse.
      if (user.role === 'customer' || user.role === 'none') throw projectNotFound(idOrKey);
      res.json(renderProject(view, deps, idOrKey));
    }),
  );
  router.get(
    '/rest/api/2/project/:idOrKey/statuses',
    handle((req, res) => {
      const { view } = stateOf(res);
      const project = projectOrThrow(deps, param(req, 'idOrKey'));
      const statusIds = new Set([project.workflow.initialStatusId, ...project.workflow.transitions.map((transition) => transition.to)]);
      const statuses = [...statusIds].map((id) => renderStatus(view, store.status(id)));
      res.json(
        project.issueTypeIds.map((id) => ({
          self: view.url(`/rest/api/2/issuetype/${id}`),
          id,
          name: store.issueType(id)?.name,
          subtask: false,
          statuses,
        })),
      );
    }),
  );
  router.get(
    '/rest/api/2/issue/createmeta/:projectIdOrKey/issuetypes',
    handle((req, res) => {
      const { view } = stateOf(res);
      const project = projectOrThrow(deps, param(req, 'projectIdOrKey'));
      const types = project.issueTypeIds.map((id) => store.issueType(id)).filter((type) => type !== undefined);
      res.json(createMetaPage(req, types.map((type) => renderIssueType(view, type))));
    }),
  );
  router.get(
    '/rest/api/2/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId',
    handle((req, res) => {
      const { view } = stateOf(res);
      const project = projectOrThrow(deps, param(req, 'projectIdOrKey'));
      if (!project.issueTypeIds.includes(param(req, 'issueTypeId'))) {
        throw platformError(404, [`The issue type with id '${param(req, 'issueTypeId')}' is not used in project ${project.key}.`]);
      }
      res.json(createMetaPage(req, createScreenFields(view)));
    }),
  );
  router.get(
    '/rest/api/2/attachment/meta',
    handle((_req, res) => {
      res.json({ enabled: true, uploadLimit: deps.core.settings.attachmentMaxBytes });
    }),
  );
  return router;
}
