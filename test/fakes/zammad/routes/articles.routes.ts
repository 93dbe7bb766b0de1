import { Router } from 'express';

import { createArticle, deleteArticle, findReadableArticle, updateArticle } from '../article-operations';
import { currentUser } from '../auth';
import type { FakeContext } from '../context';
import { ZammadError, notFound } from '../errors';
import { sendJson } from '../http-responses';
import { isFlagSet, requestParams, toId } from '../params';
import { assertCanReadTicket, canReadArticle } from '../policy';
import { renderArticle } from '../render';
import { findReadableTicket } from '../ticket-operations';
import { attachmentContentDisposition, downloadContentType } from '../attachment-download';

/** Article and attachment routes of Zammad's TicketArticlesController. */
export function articleRoutes(ctx: FakeContext): Router {
  const router = Router();

  router.get('/ticket_articles/by_ticket/:id', (req, res) => {
    const actor = currentUser(res);
    const ticket = findReadableTicket(ctx, actor, req.params.id);
    const articles = ctx.store.articlesOfTicket(ticket.id).filter((article) => canReadArticle(ctx.store, actor, article));
    if (isFlagSet(requestParams(req).full)) {
      const assets = { TicketArticle: Object.fromEntries(articles.map((article) => [article.id, renderArticle(ctx.store, article)])) };
      sendJson(res, 200, { record_ids: articles.map((article) => article.id), assets });
      return;
    }
    sendJson(res, 200, articles.map((article) => renderArticle(ctx.store, article)));
  });

  router.get('/ticket_articles/:id', (req, res) => {
    const article = findReadableArticle(ctx, currentUser(res), req.params.id);
    sendJson(res, 200, renderArticle(ctx.store, article));
  });

  router.post('/ticket_articles', (req, res) => {
    const article = createArticle(ctx, currentUser(res), requestParams(req));
    sendJson(res, 201, renderArticle(ctx.store, article));
  });

  router.put('/ticket_articles/:id', (req, res) => {
    const article = updateArticle(ctx, currentUser(res), req.params.id, requestParams(req));
    sendJson(res, 200, renderArticle(ctx.store, article));
  });

  router.delete('/ticket_articles/:id', (req, res) => {
    deleteArticle(ctx, currentUser(res), req.params.id);
    sendJson(res, 200, {});
  });

  router.get('/ticket_attachment/:ticketId/:articleId/:attachmentId', (req, res) => {
    const actor = currentUser(res);
    let ticket = findReadableTicket(ctx, actor, req.params.ticketId);
    const articleId = toId(req.params.articleId);
    const article = articleId === undefined ? undefined : ctx.store.articles.get(articleId);
    if (!article) {
      throw notFound('Ticket::Article', req.params.articleId);
    }
    if (article.ticket_id !== ticket.id) {
      // Zammad follows a merged ticket to the article's ticket; anything else is refused.
      if (ctx.store.stateTypeName(ctx.store.states.get(ticket.state_id)!) !== 'merged') {
        throw new ZammadError(403, 'The article does not belong to the specified ticket.');
      }
      ticket = ctx.store.tickets.get(article.ticket_id)!;
      assertCanReadTicket(ctx.store, actor, ticket);
    }
    const attachmentId = toId(req.params.attachmentId);
    const attachment = ctx.store.attachmentsOfArticle(article.id).find((candidate) => candidate.id === attachmentId);
    if (!attachment) {
      throw new ZammadError(403, 'The file does not belong to the specified article.');
    }
    const contentType = downloadContentType(attachment.preferences);
    const disposition = attachmentContentDisposition(contentType, requestParams(req).disposition, attachment.filename);
    res.status(200);
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Disposition', disposition);
    res.setHeader('Content-Length', String(attachment.data.length));
    res.end(attachment.data);
  });

  return router;
}
