/**
 * Platform comment endpoints and comment properties. Internal comments are
 * those with the `sd.public.comment` property `{"internal": true}`. Without
 * the property a comment is public, and the property lookup returns 404.
 */
import { Router, type Request, type Response } from 'express';

import { requireRole } from '../auth';
import { addComment, commentOrThrow, deleteComment, updateComment, type CommentInput } from '../comment-operations';
import { renderComment, type CommentRenderOptions } from '../entity-views';
import { platformError } from '../errors';
import { handle, jsonBody, param, queryInteger, queryString, stateOf } from '../http-utils';
import { parseExpand } from '../issue-view';
import type { CommentRecord } from '../records';
import { browsableIssue, type ApiDeps } from './deps';
import { propertyRoutes, type PropertyOwner } from './properties.routes';

function renderOptions(expandParam: string | undefined): CommentRenderOptions {
  const expand = parseExpand(expandParam);
  return { withProperties: expand.has('properties'), withRenderedBody: expand.has('renderedBody') };
}

export function commentRoutes(deps: ApiDeps): Router {
  const router = Router();
  const core = deps.core;

  const commentById = (commentId: string): CommentRecord => {
    const comment = core.store.comments.get(commentId);
    if (!comment) {
      throw platformError(404, [`Can not find a comment for the id: ${commentId}.`]);
    }
    return comment;
  };

  router.get(
    '/rest/api/2/issue/:idOrKey/comment',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const startAt = queryInteger(req, 'startAt', 0);
      const maxResults = Math.min(queryInteger(req, 'maxResults', 5000), 5000);
      const comments = core.store.issueComments(issue.id);
      if (queryString(req, 'orderBy') === '-created') {
        comments.reverse();
      }
      const options = renderOptions(queryString(req, 'expand'));
      const pageItems = comments.slice(startAt, startAt + maxResults);
      res.json({ startAt, maxResults, total: comments.length, comments: pageItems.map((comment) => renderComment(view, comment, options)) });
    }),
  );

  router.post(
    '/rest/api/2/issue/:idOrKey/comment',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to comment on this issue.');
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const comment = addComment(core, user, issue, jsonBody(req) as CommentInput);
      res.status(201).json(renderComment(view, comment, renderOptions(queryString(req, 'expand'))));
    }),
  );

  router.get(
    '/rest/api/2/issue/:idOrKey/comment/:commentId',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const comment = commentOrThrow(core, issue, param(req, 'commentId'));
      res.json(renderComment(view, comment, renderOptions(queryString(req, 'expand'))));
    }),
  );

  router.put(
    '/rest/api/2/issue/:idOrKey/comment/:commentId',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to edit this comment.');
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const comment = commentOrThrow(core, issue, param(req, 'commentId'));
      updateComment(core, user, issue, comment, jsonBody(req) as CommentInput);
      res.json(renderComment(view, comment, renderOptions(queryString(req, 'expand'))));
    }),
  );

  router.delete(
    '/rest/api/2/issue/:idOrKey/comment/:commentId',
    handle((req, res) => {
      const { user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to delete this comment.');
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      deleteComment(core, user, issue, commentOrThrow(core, issue, param(req, 'commentId')));
      res.status(204).end();
    }),
  );

  router.post(
    '/rest/api/2/comment/list',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent');
      const body = jsonBody(req) as { ids?: unknown };
      const ids = Array.isArray(body?.ids) ? body.ids.map(String) : [];
      const found = ids.map((id) => core.store.comments.get(id)).filter((comment) => comment !== undefined);
      res.json({
        maxResults: 1000,
        startAt: 0,
        total: found.length,
        isLast: true,
        values: found.map((comment) => renderComment(view, comment, renderOptions(queryString(req, 'expand')))),
      });
    }),
  );

  const commentProperties = (req: Request, res: Response): PropertyOwner => {
    requireRole(stateOf(res).user, 'agent');
    const comment = commentById(param(req, 'commentId'));
    return { properties: comment.properties, collectionPath: `/rest/api/2/comment/${comment.id}/properties` };
  };
  router.use(propertyRoutes({ path: '/rest/api/2/comment/:commentId/properties', forRead: commentProperties, forWrite: commentProperties }));
  return router;
}
