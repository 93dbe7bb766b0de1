import { Router } from 'express';
import type { Request, Response } from 'express';

import { currentUser } from '../auth';
import type { FakeContext } from '../context';
import { sendJson } from '../http-responses';
import { PAGE_LIMITS, applyPagination, paginate } from '../pagination';
import { isFlagSet, requestParams } from '../params';
import { canReadTicket } from '../policy';
import { buildTicketAssets, renderTicket, renderTicketWithIds, renderTicketWithNames } from '../render';
import { createTicket, deleteTicket, findReadableTicket, updateTicket } from '../ticket-operations';
import { searchTickets } from '../ticket-search';
import type { JsonObject, TicketRecord } from '../types';

/**
 * Ticket routes of Zammad's TicketsController. Without flags, reads return plain
 * attributes, and create and update also return `article_ids`. `expand=true` adds
 * names, `full=true` returns `{id|record_ids, assets}`, and `all=true` on show and on
 * writes returns the ticket zoom bundle.
 */
export function ticketRoutes(ctx: FakeContext): Router {
  const router = Router();

  router.get('/tickets', (req, res) => {
    const params = requestParams(req);
    const actor = currentUser(res);
    const visible = [...ctx.store.tickets.values()]
      .filter((ticket) => canReadTicket(ctx.store, actor, ticket))
      .sort((left, right) => left.id - right.id);
    const tickets = applyPagination(visible, paginate(params, PAGE_LIMITS.ticketIndex));
    if (isFlagSet(params.expand)) {
      sendJson(res, 200, tickets.map((ticket) => renderTicketWithNames(ctx.store, ticket)));
    } else if (isFlagSet(params.full)) {
      sendJson(res, 200, { record_ids: tickets.map((ticket) => ticket.id), assets: buildTicketAssets(ctx.store, tickets) });
    } else {
      sendJson(res, 200, tickets.map((ticket) => renderTicket(ctx.store, ticket)));
    }
  });

  const search = (req: Request, res: Response) => {
    const params = requestParams(req);
    const result = searchTickets(ctx, currentUser(res), params);
    sendJson(res, 200, renderSearchResult(ctx, params, result.tickets, result.totalCount));
  };
  router.get('/tickets/search', search);
  router.post('/tickets/search', search);

  router.get('/tickets/:id', (req, res) => {
    const ticket = findReadableTicket(ctx, currentUser(res), req.params.id);
    sendJson(res, 200, renderTicketRead(ctx, requestParams(req), ticket));
  });

  router.post('/tickets', (req, res) => {
    const params = requestParams(req);
    const { ticket } = createTicket(ctx, currentUser(res), params);
    sendJson(res, 201, renderTicketWrite(ctx, params, ticket));
  });

  router.put('/tickets/:id', (req, res) => {
    const params = requestParams(req);
    const { ticket } = updateTicket(ctx, currentUser(res), req.params.id, params);
    sendJson(res, 200, renderTicketWrite(ctx, params, ticket));
  });

  router.delete('/tickets/:id', (req, res) => {
    deleteTicket(ctx, currentUser(res), req.params.id);
    if (ctx.settings.ticketDeleteBody === 'object') {
      sendJson(res, 200, {});
    } else {
      res.status(200).end();
    }
  });

  return router;
}

function renderTicketRead(ctx: FakeContext, params: JsonObject, ticket: TicketRecord): unknown {
  if (isFlagSet(params.expand)) {
    return renderTicketWithNames(ctx.store, ticket);
  }
  if (isFlagSet(params.full)) {
    return { id: ticket.id, assets: buildTicketAssets(ctx.store, [ticket]) };
  }
  if (isFlagSet(params.all)) {
    return renderTicketAll(ctx, ticket);
  }
  return renderTicket(ctx.store, ticket);
}

function renderTicketWrite(ctx: FakeContext, params: JsonObject, ticket: TicketRecord): unknown {
  if (isFlagSet(params.expand) || isFlagSet(params.full) || isFlagSet(params.all)) {
    return renderTicketRead(ctx, params, ticket);
  }
  return renderTicketWithIds(ctx.store, ticket);
}

/** Builds the `all=true` bundle of the ticket zoom view from what the fake stores. */
function renderTicketAll(ctx: FakeContext, ticket: TicketRecord): JsonObject {
  const articleIds = ctx.store.articlesOfTicket(ticket.id).map((article) => article.id);
  return {
    ticket_id: ticket.id,
    ticket_article_ids: articleIds,
    assets: buildTicketAssets(ctx.store, [ticket]),
    links: [],
    tags: ctx.store.ticketTags.get(ticket.id) ?? [],
    mentions: [],
    time_accountings: [],
    form_meta: {},
  };
}

/**
 * Search response shapes: `only_total_count` gives `{total_count}`, `expand` an array
 * with names, `full` `{record_ids, assets, total_count}`, and no flag either the
 * legacy `{tickets, tickets_count, assets}` or a bare array, per `searchResponseShape`.
 */
function renderSearchResult(ctx: FakeContext, params: JsonObject, tickets: TicketRecord[], totalCount: number): unknown {
  if (isFlagSet(params.only_total_count)) {
    return { total_count: totalCount };
  }
  if (isFlagSet(params.expand)) {
    return tickets.map((ticket) => renderTicketWithNames(ctx.store, ticket));
  }
  if (isFlagSet(params.full)) {
    return {
      record_ids: tickets.map((ticket) => ticket.id),
      assets: buildTicketAssets(ctx.store, tickets),
      total_count: totalCount,
    };
  }
  if (ctx.settings.searchResponseShape === 'array') {
    return tickets.map((ticket) => renderTicketWithIds(ctx.store, ticket));
  }
  const result: JsonObject = {
    tickets: tickets.map((ticket) => ticket.id),
    tickets_count: tickets.length,
    assets: buildTicketAssets(ctx.store, tickets),
  };
  if (isFlagSet(params.with_total_count)) {
    result.total_count = totalCount;
  }
  return result;
}
