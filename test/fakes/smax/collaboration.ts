import { Router } from 'express';

import { isClosedRequest } from './bulk-validation';
import { SmaxHttpError } from './errors';
import { FakeContext } from './fake-context';
import { actorOf, readJsonBody, routeParam } from './http-exchange';
import { Actor, CommentFields, PRIVACY_TYPES, PrivacyType, StoredComment } from './smax-types';

/**
 * Collaboration API for comments on Requests. Every change also rewrites the
 * Request's `Comments` property (a JSON string), moves its `LastUpdateTime`
 * and queues a change notification.
 */

const SERVER_FIELDS = ['Id', 'CreateTime', 'UpdateTime'];

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Builds the `Comments` property value: `{"Comment":[{CommentId, CommentBody, PrivacyType, Submitter: "Person/<id>", CreateTime}]}`. */
export function serializeEmbeddedComments(comments: StoredComment[], escapeBodies: boolean): string {
  return JSON.stringify({
    Comment: comments.map((comment) => ({
      CommentId: comment.Id,
      CommentBody: escapeBodies ? escapeHtml(comment.Body) : comment.Body,
      PrivacyType: comment.PrivacyType,
      Submitter: `Person/${comment.Submitter.UserId}`,
      CreateTime: comment.CreateTime,
    })),
  });
}

function requireRequest(ctx: FakeContext, requestId: string, forWrite: boolean): void {
  const request = ctx.store.current('Request', requestId);
  if (!request) {
    throw new SmaxHttpError(404, `Request ${requestId} was not found.`);
  }
  // NOTE: the status SMAX returns for comment changes on a closed Request is not public, so 400 is a guess.
  if (forWrite && isClosedRequest(ctx, request)) {
    throw new SmaxHttpError(400, `Request ${requestId} is closed (PhaseId ${String(request.PhaseId)}) and cannot be modified.`);
  }
}

/** Validates a comment body from a client and returns its stored fields (without Id and times). */
function readCommentInput(ctx: FakeContext, input: unknown, actor: Actor): CommentFields {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SmaxHttpError(400, 'The comment must be a JSON object.');
  }
  const fields = { ...(input as Record<string, unknown>) };
  for (const name of SERVER_FIELDS) {
    delete fields[name];
  }
  if (typeof fields.Body !== 'string' || fields.Body === '') {
    throw new SmaxHttpError(400, 'The comment "Body" is missing or empty.');
  }
  if (!(PRIVACY_TYPES as readonly unknown[]).includes(fields.PrivacyType)) {
    throw new SmaxHttpError(400, `"PrivacyType" must be one of ${PRIVACY_TYPES.join(', ')}, got ${JSON.stringify(fields.PrivacyType)}.`);
  }
  const submitter = fields.Submitter as { UserId?: unknown } | undefined;
  const userId = submitter?.UserId === undefined ? actor.personId : String(submitter.UserId);
  if (!ctx.store.current('Person', userId)) {
    throw new SmaxHttpError(400, `Submitter Person ${userId} does not exist.`);
  }
  return { ...fields, Body: fields.Body, PrivacyType: fields.PrivacyType as PrivacyType, Submitter: { UserId: userId } };
}

function commit(ctx: FakeContext, requestId: string, comments: StoredComment[], actor: Actor): void {
  ctx.store.setComments(requestId, comments);
  const embedded = comments.length > 0 ? serializeEmbeddedComments(comments, ctx.config.escapeEmbeddedCommentBodies) : null;
  ctx.store.update('Request', requestId, { Comments: embedded });
  ctx.webhooks.requestChanged(requestId, actor);
}

export function listComments(ctx: FakeContext, requestId: string): StoredComment[] {
  requireRequest(ctx, requestId, false);
  return ctx.store.commentsOf(requestId);
}

/** Adds comments in order and returns them as stored; all are checked before any is stored. */
export function addComments(ctx: FakeContext, requestId: string, inputs: unknown[], actor: Actor): StoredComment[] {
  requireRequest(ctx, requestId, true);
  const fields = inputs.map((input) => readCommentInput(ctx, input, actor));
  const added = fields.map((field) => {
    const time = ctx.store.nextTimestamp();
    return { ...field, Id: ctx.store.nextUuid(), CreateTime: time, UpdateTime: 0 };
  });
  commit(ctx, requestId, [...ctx.store.commentsOf(requestId), ...added], actor);
  return added;
}

/** Replaces a comment's fields (PUT resends the whole comment) and returns it. */
export function updateComment(ctx: FakeContext, requestId: string, commentId: string, input: unknown, actor: Actor): StoredComment {
  requireRequest(ctx, requestId, true);
  const comments = ctx.store.commentsOf(requestId);
  const index = comments.findIndex((comment) => comment.Id === commentId);
  if (index < 0) {
    throw new SmaxHttpError(404, `Comment ${commentId} was not found on Request ${requestId}.`);
  }
  const updated: StoredComment = {
    ...readCommentInput(ctx, input, actor),
    Id: commentId,
    CreateTime: comments[index].CreateTime,
    UpdateTime: ctx.store.nextTimestamp(),
  };
  comments[index] = updated;
  commit(ctx, requestId, comments, actor);
  return updated;
}

export function deleteComment(ctx: FakeContext, requestId: string, commentId: string, actor: Actor): void {
  requireRequest(ctx, requestId, true);
  const comments = ctx.store.commentsOf(requestId);
  const remaining = comments.filter((comment) => comment.Id !== commentId);
  if (remaining.length === comments.length) {
    throw new SmaxHttpError(404, `Comment ${commentId} was not found on Request ${requestId}.`);
  }
  commit(ctx, requestId, remaining, actor);
}

function requireRequestType(entityType: string): void {
  if (entityType !== 'Request') {
    throw new SmaxHttpError(404, `Comments on ${entityType} records are not supported by this fake; use Request.`);
  }
}

/** Routes `collaboration/comments/...` (mounted under `/rest/{tenant}`); a trailing slash is accepted. */
export function collaborationRouter(ctx: FakeContext): Router {
  const router = Router();
  const single = '/collaboration/comments/:entityType/:requestId';

  router.get(single, (req, res) => {
    requireRequestType(routeParam(req, 'entityType'));
    res.json(listComments(ctx, routeParam(req, 'requestId')));
  });

  router.post(single, (req, res) => {
    requireRequestType(routeParam(req, 'entityType'));
    const [comment] = addComments(ctx, routeParam(req, 'requestId'), [readJsonBody(res)], actorOf(res));
    res.json(comment);
  });

  router.post('/collaboration/comments/bulk/:entityType/:requestId', (req, res) => {
    requireRequestType(routeParam(req, 'entityType'));
    const body = readJsonBody(res);
    if (!Array.isArray(body)) {
      throw new SmaxHttpError(400, 'The bulk comment body must be a JSON list of comments.');
    }
    res.json(addComments(ctx, routeParam(req, 'requestId'), body, actorOf(res)));
  });

  router.put(`${single}/:commentId`, (req, res) => {
    requireRequestType(routeParam(req, 'entityType'));
    const comment = updateComment(ctx, routeParam(req, 'requestId'), routeParam(req, 'commentId'), readJsonBody(res), actorOf(res));
    res.json(comment);
  });

  router.delete(`${single}/:commentId`, (req, res) => {
    requireRequestType(routeParam(req, 'entityType'));
    deleteComment(ctx, routeParam(req, 'requestId'), routeParam(req, 'commentId'), actorOf(res));
    res.status(200).end();
  });

  return router;
}
