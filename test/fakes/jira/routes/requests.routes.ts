/**
 * Customer requests (`/rest/servicedeskapi/request`): create, get, list,
 * participants, public and internal comments, status history, SLAs,
 * customer transitions and attachments from temporary files. Portal
 * customers see only their own requests and only public comments.
 */
import { Router, type Response } from 'express';

import { addAttachments } from '../attachment-operations';
import { addComment, setCommentPublic } from '../comment-operations';
import { isCommentPublic, renderAttachment } from '../entity-views';
import { jsmError } from '../errors';
import { handle, jsonBody, param, queryBoolean, queryString, stateOf } from '../http-utils';
import { transitionIssue } from '../issue-operations';
import { parseExpand } from '../issue-view';
import { renderCustomerRequest, renderJsmComment } from '../jsm-views';
import { isRecord, type CommentRecord, type IssueRecord } from '../records';
import { changeParticipants, createRequest, requestOrThrow } from '../request-operations';
import { isAgent, type UserRecord } from '../seed';
import { renderSla } from '../sla';
import type { ApiDeps } from './deps';
import { pageParameters, sendJsmPage } from './jsm-helpers';

export function requestRoutes(deps: ApiDeps): Router {
  const router = Router();
  const core = deps.core;
  const store = core.store;

  router.post(
    '/rest/servicedeskapi/request',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = createRequest(core, user, jsonBody(req));
      res.status(201).json(renderCustomerRequest(view, issue, new Set()));
    }),
  );

  router.get(
    '/rest/servicedeskapi/request',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const ownership = queryString(req, 'requestOwnership') ?? 'OWNED_REQUESTS';
      const status = queryString(req, 'requestStatus') ?? 'ALL_REQUESTS';
      const deskId = queryString(req, 'serviceDeskId');
      const typeId = queryString(req, 'requestTypeId');
      const term = queryString(req, 'searchTerm')?.toLowerCase();
      const requests = [...store.issues.values()].filter((issue) => {
        if (!issue.requestTypeId) {
          return false;
        }
        const own = issue.reporterId === user.accountId;
        const participating = issue.participantIds.includes(user.accountId);
        let visible = own || participating || isAgent(user);
        if (ownership === 'OWNED_REQUESTS') {
          visible = own;
        } else if (ownership === 'PARTICIPATED_REQUESTS') {
          visible = participating;
        }
        const done = store.status(issue.statusId).category === 'done';
        const statusMatches = status === 'ALL_REQUESTS' || (status === 'CLOSED_REQUESTS') === done;
        const deskMatches = !deskId || store.serviceDeskOfProject(issue.projectId)?.id === deskId;
        return visible && statusMatches && deskMatches && (!typeId || issue.requestTypeId === typeId) && (!term || issue.summary.toLowerCase().includes(term));
      });
      const expand = parseExpand(queryString(req, 'expand'));
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, requests.map((issue) => renderCustomerRequest(view, issue, expand)), start, limit, '/rest/servicedeskapi/request');
    }),
  );

  router.get(
    '/rest/servicedeskapi/request/:idOrKey',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      res.json(renderCustomerRequest(view, requestOrThrow(core, user, param(req, 'idOrKey')), parseExpand(queryString(req, 'expand'))));
    }),
  );

  const participantPage = (res: Response, issue: IssueRecord, start: number, limit: number) => {
    const view = stateOf(res).view;
    const users = issue.participantIds.map((id) => store.user(id)).filter((user) => user !== undefined);
    sendJsmPage(res, users.map((user) => view.jsmUser(user)), start, limit, `/rest/servicedeskapi/request/${issue.key}/participant`);
  };

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/participant',
    handle((req, res) => {
      const issue = requestOrThrow(core, stateOf(res).user, param(req, 'idOrKey'));
      const { start, limit } = pageParameters(req);
      participantPage(res, issue, start, limit);
    }),
  );

  for (const [method, verb] of [['post', 'add'], ['delete', 'remove']] as const) {
    router[method](
      '/rest/servicedeskapi/request/:idOrKey/participant',
      handle((req, res) => {
        const { user } = stateOf(res);
        const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
        changeParticipants(core, user, issue, jsonBody(req), verb);
        participantPage(res, issue, 0, 50);
      }),
    );
  }

  const visibleComments = (issue: IssueRecord, user: UserRecord, includePublic: boolean, includeInternal: boolean): CommentRecord[] =>
    store.issueComments(issue.id).filter((comment) => {
      const isPublic = isCommentPublic(comment);
      if (!isPublic && !isAgent(user)) {
        return false;
      }
      return isPublic ? includePublic : includeInternal;
    });

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/comment',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const { start, limit } = pageParameters(req);
      const path = `/rest/servicedeskapi/request/${param(req, 'idOrKey')}/comment`;
      let issue: IssueRecord;
      try {
        issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      } catch {
        // Jira returns an empty page, not an error, to a caller without access.
        sendJsmPage(res, [], start, limit, path);
        return;
      }
      const comments = visibleComments(issue, user, queryBoolean(req, 'public', true), queryBoolean(req, 'internal', true));
      const withRenderedBody = parseExpand(queryString(req, 'expand')).has('renderedBody');
      sendJsmPage(res, comments.map((comment) => renderJsmComment(view, comment, withRenderedBody)), start, limit, path);
    }),
  );

  router.post(
    '/rest/servicedeskapi/request/:idOrKey/comment',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const body = jsonBody(req) as Record<string, unknown>;
      const isPublic = body?.public !== false;
      if (!isPublic && !isAgent(user)) {
        throw jsmError(403, 'Customers can only add public comments.', 'sd.request.comment.internal.forbidden');
      }
      const comment = addComment(core, user, issue, {
        body: body?.body,
        properties: [{ key: 'sd.public.comment', value: { internal: !isPublic } }],
      });
      res.status(201).json(renderJsmComment(view, comment));
    }),
  );

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/comment/:commentId',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const comment = visibleComments(issue, user, true, true).find((candidate) => candidate.id === param(req, 'commentId'));
      if (!comment) {
        throw jsmError(404, 'The comment does not exist or you do not have permission to view it.', 'sd.comment.not.found');
      }
      res.json(renderJsmComment(view, comment, parseExpand(queryString(req, 'expand')).has('renderedBody')));
    }),
  );

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/status',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const history: Array<{ statusId: string; at: number }> = [];
      for (const entry of issue.changelog) {
        for (const item of entry.items.filter((candidate) => candidate.fieldId === 'status' && candidate.to)) {
          history.push({ statusId: String(item.to), at: entry.created });
        }
      }
      const firstStatus = issue.changelog.flatMap((entry) => entry.items).find((item) => item.fieldId === 'status')?.from ?? issue.statusId;
      history.unshift({ statusId: firstStatus, at: issue.created });
      const values = history.reverse().map((entry) => {
        const status = store.status(entry.statusId);
        return { status: status.name, statusCategory: status.category.toUpperCase(), statusDate: view.jsmDate(entry.at) };
      });
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, values, start, limit, `/rest/servicedeskapi/request/${issue.key}/status`);
    }),
  );

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/sla',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const slas = store.catalog.slaFields().map((field) => renderSla(view, issue, field)).filter((sla) => sla !== null);
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, slas, start, limit, `/rest/servicedeskapi/request/${issue.key}/sla`);
    }),
  );

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/transition',
    handle((req, res) => {
      const { user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const transitions = store
        .projectOf(issue)
        .workflow.transitions.filter((transition) => transition.customerTransition && transition.from.includes(issue.statusId))
        .map((transition) => ({ id: transition.id, name: transition.name }));
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, transitions, start, limit, `/rest/servicedeskapi/request/${issue.key}/transition`);
    }),
  );

  router.post(
    '/rest/servicedeskapi/request/:idOrKey/transition',
    handle((req, res) => {
      const { user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const body = jsonBody(req) as Record<string, unknown>;
      const transition = store.projectOf(issue).workflow.transitions.find(
        (candidate) => candidate.customerTransition && candidate.id === String(body?.id) && candidate.from.includes(issue.statusId),
      );
      if (!transition) {
        throw jsmError(400, `The transition with id ${String(body?.id)} is not available for this request.`, 'sd.request.transition.invalid');
      }
      if (isRecord(body.additionalComment)) {
        addComment(core, user, issue, { body: body.additionalComment.body });
      }
      transitionIssue(core, user, issue, { transition: { id: transition.id } });
      res.status(204).end();
    }),
  );

  router.get(
    '/rest/servicedeskapi/request/:idOrKey/attachment',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const attachments = store.issueAttachments(issue.id).map((attachment) => {
        const platform = renderAttachment(view, attachment);
        return {
          filename: attachment.filename,
          author: view.jsmUser(store.user(attachment.authorId) ?? user),
          created: view.jsmDate(attachment.created),
          size: attachment.content.length,
          mimeType: attachment.mimeType,
          _links: { self: platform.self, jiraRest: platform.self, content: platform.content, ...(platform.thumbnail ? { thumbnail: platform.thumbnail } : {}) },
        };
      });
      const { start, limit } = pageParameters(req);
      sendJsmPage(res, attachments, start, limit, `/rest/servicedeskapi/request/${issue.key}/attachment`);
    }),
  );

  router.post(
    '/rest/servicedeskapi/request/:idOrKey/attachment',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = requestOrThrow(core, user, param(req, 'idOrKey'));
      const body = jsonBody(req) as Record<string, unknown>;
      const ids = Array.isArray(body?.temporaryAttachmentIds) ? body.temporaryAttachmentIds.map(String) : [];
      const isPublic = body?.public !== false;
      if (!isPublic && !isAgent(user)) {
        throw jsmError(403, 'Customers can only attach files publicly.', 'sd.request.attachment.internal.forbidden');
      }
      const files = ids.map((id) => {
        const temporary = store.temporaryAttachments.get(id);
        if (!temporary) {
          throw jsmError(400, `The temporary attachment ${id} does not exist or has expired.`, 'sd.attachment.temporary.not.found');
        }
        return temporary;
      });
      if (files.length === 0) {
        throw jsmError(400, 'Specify at least one temporaryAttachmentId.', 'sd.attachment.temporary.required');
      }
      ids.forEach((id) => store.temporaryAttachments.delete(id));
      const created = addAttachments(core, user, issue, files);
      const commentBody = isRecord(body.additionalComment) ? body.additionalComment.body : undefined;
      const names = created.map((attachment) => `[^${attachment.filename}]`).join(' ');
      const comment = addComment(core, user, issue, { body: typeof commentBody === 'string' && commentBody.trim() ? `${commentBody}\n\n${names}` : names });
      setCommentPublic(comment, isPublic);
      const values = created.map((attachment) => ({
        filename: attachment.filename,
        author: view.jsmUser(user),
        created: view.jsmDate(attachment.created),
        size: attachment.content.length,
        mimeType: attachment.mimeType,
        _links: { self: view.url(`/rest/api/2/attachment/${attachment.id}`), jiraRest: view.url(`/rest/api/2/attachment/${attachment.id}`) },
      }));
      res.status(201).json({ comment: renderJsmComment(view, comment), attachments: view.jsmPage(values, 0, values.length, true, `/rest/servicedeskapi/request/${issue.key}/attachment`) });
    }),
  );
  return router;
}
