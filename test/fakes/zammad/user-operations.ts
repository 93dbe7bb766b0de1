import type { FakeContext } from './context';
import { unprocessable } from './errors';
import { resolveAssociation, toBoolean, toId } from './params';
import { assertAgent } from './policy';
import { ROLE_CUSTOMER, buildUser } from './seed-data';
import type { JsonObject, UserRecord } from './types';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

/**
 * `POST /users`. Agents create customers (the signup role); admins may also set
 * `roles`/`role_ids` and `group_ids`. Without a login the e-mail is used, and without
 * either Zammad makes up an `auto-<uuid>` login.
 *
 * NOTE: a duplicate login fails here with Zammad's duplicate-key message; whether
 * current Zammad versions rename the login instead is not confirmed.
 */
export function createUser(ctx: FakeContext, actor: UserRecord, params: JsonObject): UserRecord {
  assertAgent(ctx.store, actor);
  return insertUser(ctx, actor, params, ctx.store.isAdmin(actor));
}

/**
 * Creates a customer with the signup role for ticket create's `customer_id:
 * "guess:<email>"` and `customer: {...}`, which need no user-admin permission.
 */
export function createCustomer(ctx: FakeContext, actor: UserRecord, fields: JsonObject): UserRecord {
  return insertUser(ctx, actor, fields, false);
}

function insertUser(ctx: FakeContext, actor: UserRecord, params: JsonObject, mayAssignRoles: boolean): UserRecord {
  const { store } = ctx;

  const email = typeof params.email === 'string' ? params.email.trim() : '';
  const identifiers = ['firstname', 'lastname', 'phone', 'mobile', 'email'];
  if (!identifiers.some((key) => typeof params[key] === 'string' && (params[key] as string).trim() !== '')) {
    throw unprocessable('At least one identifier (firstname, lastname, phone, mobile or email) for user is required.');
  }
  if (email !== '' && !isValidEmail(email)) {
    throw unprocessable(`Invalid email '${email}'`);
  }
  if (email !== '' && store.findUserByEmail(email)) {
    throw unprocessable(`Email address '${email.toLowerCase()}' is already used for another user.`);
  }

  const login = (typeof params.login === 'string' && params.login.trim() !== '' ? params.login : email).toLowerCase();
  const finalLogin = login === '' ? `auto-${ctx.uuids.next()}` : login;
  if ([...store.users.values()].some((user) => user.login === finalLogin)) {
    throw unprocessable('Object already exists!');
  }
  const organization = resolveAssociation(params, 'organization', 'Organization', (id) => store.organizations.get(id), (name) =>
    store.findByName(store.organizations, name),
  );

  const now = ctx.clock.timestamp();
  const user = buildUser(
    {
      id: store.nextId('user'),
      login: finalLogin,
      firstname: stringParam(params.firstname),
      lastname: stringParam(params.lastname),
      email: email.toLowerCase(),
      phone: stringParam(params.phone),
      mobile: stringParam(params.mobile),
      note: stringParam(params.note),
      organization_id: organization?.id ?? null,
      active: toBoolean(params.active) ?? true,
      vip: toBoolean(params.vip) ?? false,
      role_ids: mayAssignRoles ? resolveRoleIds(ctx, params) : [ROLE_CUSTOMER],
      group_ids: mayAssignRoles ? resolveGroupIds(params) : {},
      created_by_id: actor.id,
      updated_by_id: actor.id,
    },
    now,
  );

  store.users.set(user.id, user);
  ctx.searchIndex.indexUser(store, user.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
  return user;
}

function stringParam(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function resolveRoleIds(ctx: FakeContext, params: JsonObject): number[] {
  if (Array.isArray(params.role_ids)) {
    return params.role_ids.map((id) => toId(id)).filter((id): id is number => id !== undefined);
  }
  if (!Array.isArray(params.roles)) {
    return [ROLE_CUSTOMER];
  }
  return params.roles.map((name) => {
    const role = ctx.store.findByName(ctx.store.roles, String(name));
    if (!role) {
      throw unprocessable(`No lookup value found for 'roles': ${JSON.stringify(name)}`);
    }
    return role.id;
  });
}

function resolveGroupIds(params: JsonObject): Record<string, string[]> {
  const groups = params.group_ids;
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) {
    return {};
  }
  return Object.fromEntries(Object.entries(groups).map(([id, access]) => [id, Array.isArray(access) ? access.map(String) : ['full']]));
}

/**
 * `GET /users/search`: a case-insensitive substring match on login, names and e-mail
 * over the search index, so `jane@example.com` also finds `jane@example.com.au`, as
 * Zammad's full-text search does.
 */
export function searchUsers(ctx: FakeContext, query: string, roleIds: number[]): UserRecord[] {
  const needle = query.trim().toLowerCase();
  const visible = ctx.searchIndex.visibleUsers(ctx.clock.now().getTime());
  return visible
    .filter((user) => user.id !== 1)
    .filter((user) => roleIds.length === 0 || user.role_ids.some((id) => roleIds.includes(id)))
    .filter((user) => {
      if (needle === '' || needle === '*') {
        return true;
      }
      const haystack = [user.login, user.firstname, user.lastname, `${user.firstname} ${user.lastname}`, user.email];
      return haystack.some((text) => text.toLowerCase().includes(needle));
    })
    .map((user) => ctx.store.users.get(user.id) ?? user)
    .sort((left, right) => left.id - right.id);
}
