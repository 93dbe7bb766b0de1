import { Router } from 'express';
import type { Request, Response } from 'express';

import { currentUser } from '../auth';
import type { FakeContext } from '../context';
import { unprocessable } from '../errors';
import { sendJson } from '../http-responses';
import { optionalString, requestParams } from '../params';
import { assertAgent } from '../policy';
import { findReadableTicket } from '../ticket-operations';
import type { TicketRecord } from '../types';

/**
 * Ticket tags: `GET /tags?object=Ticket&o_id=`, `POST /tags/add` and
 * `DELETE /tags/remove` with `{object, o_id, item}`.
 *
 * NOTE: tag changes send no webhook and leave `updated_at` alone here. Whether a
 * Zammad trigger fires on a tag change was not checked.
 */
export function tagRoutes(ctx: FakeContext): Router {
  const router = Router();

  const ticketFor = (req: Request, res: Response): TicketRecord => {
    const params = requestParams(req);
    if (params.object !== 'Ticket') {
      throw unprocessable(`The fake supports tags on Ticket only, got object ${JSON.stringify(params.object)}`);
    }
    return findReadableTicket(ctx, currentUser(res), params.o_id);
  };
  const itemOf = (req: Request): string => {
    const item = optionalString(requestParams(req).item)?.trim() ?? '';
    if (item === '') {
      throw unprocessable("Need 'item' param");
    }
    return item;
  };

  router.get('/tags', (req, res) => {
    const ticket = ticketFor(req, res);
    sendJson(res, 200, { tags: ctx.store.ticketTags.get(ticket.id) ?? [] });
  });

  router.post('/tags/add', (req, res) => {
    assertAgent(ctx.store, currentUser(res));
    const ticket = ticketFor(req, res);
    const item = itemOf(req);
    const tags = ctx.store.ticketTags.get(ticket.id) ?? [];
    if (!tags.includes(item)) {
      ctx.store.ticketTags.set(ticket.id, [...tags, item]);
    }
    ctx.searchIndex.indexTicket(ctx.store, ticket.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
    sendJson(res, 200, true);
  });

  router.delete('/tags/remove', (req, res) => {
    assertAgent(ctx.store, currentUser(res));
    const ticket = ticketFor(req, res);
    const item = itemOf(req);
    ctx.store.ticketTags.set(
      ticket.id,
      (ctx.store.ticketTags.get(ticket.id) ?? []).filter((tag) => tag !== item),
    );
    ctx.searchIndex.indexTicket(ctx.store, ticket.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
    sendJson(res, 200, true);
  });

  return router;
}
