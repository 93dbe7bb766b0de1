import { Router } from 'express';

import { currentUser } from '../auth';
import type { FakeContext } from '../context';
import { forbidden, notFound } from '../errors';
import { sendJson } from '../http-responses';
import { PAGE_LIMITS, applyPagination, paginate } from '../pagination';
import { isFlagSet, requestParams, toId } from '../params';
import { renderUser, renderUserWithNames } from '../render';
import type { JsonObject, UserRecord } from '../types';
import { createUser, searchUsers } from '../user-operations';

/**
 * User routes of Zammad's UsersController. Agents and admins can read every user. A
 * customer can read only their own record and cannot search.
 */
export function userRoutes(ctx: FakeContext): Router {
  const router = Router();
  const render = (params: JsonObject, user: UserRecord) =>
    isFlagSet(params.expand) ? renderUserWithNames(ctx.store, user) : renderUser(user);
  const mayListUsers = (user: UserRecord) => ctx.store.isAgent(user) || ctx.store.isAdmin(user);

  router.get('/users/me', (req, res) => {
    sendJson(res, 200, render(requestParams(req), currentUser(res)));
  });

  router.get('/users/search', (req, res) => {
    const params = requestParams(req);
    const actor = currentUser(res);
    if (!mayListUsers(actor)) {
      throw forbidden();
    }
    const roleIds = listOfIds(params.role_ids);
    const matches = searchUsers(ctx, typeof params.query === 'string' ? params.query : '', roleIds);
    const users = applyPagination(matches, paginate(params, PAGE_LIMITS.userSearch));
    if (isFlagSet(params.full)) {
      const assets = { User: Object.fromEntries(users.map((user) => [user.id, renderUser(user)])) };
      sendJson(res, 200, { assets, user_ids: users.map((user) => user.id) });
      return;
    }
    if (isFlagSet(params.label)) {
      sendJson(res, 200, users.map((user) => ({ id: user.id, label: userLabel(user), value: userLabel(user) })));
      return;
    }
    sendJson(res, 200, users.map((user) => render(params, user)));
  });

  router.get('/users', (req, res) => {
    const params = requestParams(req);
    const actor = currentUser(res);
    const all = mayListUsers(actor) ? [...ctx.store.users.values()].sort((a, b) => a.id - b.id) : [actor];
    const users = applyPagination(all, paginate(params, PAGE_LIMITS.userIndex));
    if (isFlagSet(params.full)) {
      const assets = { User: Object.fromEntries(users.map((user) => [user.id, renderUser(user)])) };
      sendJson(res, 200, { record_ids: users.map((user) => user.id), assets });
      return;
    }
    sendJson(res, 200, users.map((user) => render(params, user)));
  });

  router.get('/users/:id', (req, res) => {
    const params = requestParams(req);
    const actor = currentUser(res);
    const id = toId(req.params.id);
    const user = id === undefined ? undefined : ctx.store.users.get(id);
    if (!user) {
      throw notFound('User', req.params.id);
    }
    if (!mayListUsers(actor) && user.id !== actor.id) {
      throw forbidden();
    }
    if (isFlagSet(params.full)) {
      sendJson(res, 200, { id: user.id, assets: { User: { [user.id]: renderUser(user) } } });
      return;
    }
    sendJson(res, 200, render(params, user));
  });

  router.post('/users', (req, res) => {
    const params = requestParams(req);
    const user = createUser(ctx, currentUser(res), params);
    sendJson(res, 201, render(params, user));
  });

  return router;
}

function userLabel(user: UserRecord): string {
  const name = `${user.firstname} ${user.lastname}`;
  return user.email === '' ? name : `${name} <${user.email}>`;
}

function listOfIds(value: unknown): number[] {
  let list: unknown[] = [];
  if (Array.isArray(value)) {
    list = value;
  } else if (typeof value === 'string') {
    list = value.split(',');
  }
  return list.map((entry) => toId(entry)).filter((id): id is number => id !== undefined);
}
