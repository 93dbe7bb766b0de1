import { type PreparedArticle, prepareArticle, storeArticle } from './article-operations';
import type { FakeContext } from './context';
import { ZammadError, notFound, unprocessable } from './errors';
import { isObject, optionalString, resolveAssociation, toId } from './params';
import { assertCanDeleteTicket, assertCanReadTicket } from './policy';
import { SYSTEM_USER_ID } from './seed-data';
import type { ArticleRecord, GroupRecord, JsonObject, StateRecord, TicketRecord, UserRecord } from './types';
import { createCustomer, isValidEmail } from './user-operations';

export interface TicketWriteResult {
  ticket: TicketRecord;
  article: ArticleRecord | null;
}

/** Attributes that only agents may set; Zammad drops them silently for customers. */
const AGENT_ONLY_KEYS = ['owner', 'owner_id', 'customer', 'customer_id', 'organization', 'organization_id', 'preferences'];

/**
 * `POST /tickets`, after Zammad's TicketsController#create: names or ids for group,
 * state, priority, owner and customer, `customer_id: "guess:<email>"`, a nested
 * `customer` object, comma-separated `tags` and an optional first `article`.
 * Everything is validated before anything is stored, and webhooks see one change.
 *
 * NOTE: the texts of the "Missing required value" errors follow Zammad's core
 * workflow checks as far as public reports show them; treat them as approximate.
 */
export function createTicket(ctx: FakeContext, actor: UserRecord, input: JsonObject): TicketWriteResult {
  const { store } = ctx;
  const params = withoutAgentOnlyKeys(ctx, actor, input);
  const title = optionalString(params.title);
  if (title === null || title.trim() === '') {
    throw unprocessable("Missing required value for field 'title'!");
  }
  const group = resolveGroup(ctx, params);
  if (!group) {
    throw unprocessable("Missing required value for field 'group_id'!");
  }
  const state = resolveState(ctx, params) ?? [...store.states.values()].find((candidate) => candidate.default_create)!;
  const priority =
    resolvePriority(ctx, params) ?? [...store.priorities.values()].find((candidate) => candidate.default_create)!;
  const owner = resolveOwner(ctx, params);
  const pendingTime = requirePendingTime(ctx, state, optionalString(params.pending_time));
  const articleParams = isObject(params.article) ? params.article : null;
  const prepared = articleParams ? prepareArticle(ctx, actor, articleParams) : null;
  const customer = store.isAgent(actor) ? resolveCustomer(ctx, actor, params) : actor;
  const organization =
    resolveAssociation(params, 'organization', 'Organization', (id) => store.organizations.get(id), (name) =>
      store.findByName(store.organizations, name),
    ) ?? (customer.organization_id === null ? undefined : store.organizations.get(customer.organization_id));

  const now = ctx.clock.timestamp();
  const id = store.nextId('ticket');
  const ticket: TicketRecord = {
    id,
    group_id: group.id,
    priority_id: priority.id,
    state_id: state.id,
    organization_id: organization?.id ?? null,
    number: `${ctx.settings.ticketNumberPrefix}${String(id).padStart(3, '0')}`,
    title,
    owner_id: owner?.id ?? SYSTEM_USER_ID,
    customer_id: customer.id,
    note: optionalString(params.note),
    first_response_at: null,
    first_response_escalation_at: null,
    first_response_in_min: null,
    first_response_diff_in_min: null,
    close_at: store.stateTypeName(state) === 'closed' ? now : null,
    close_escalation_at: null,
    close_in_min: null,
    close_diff_in_min: null,
    update_escalation_at: null,
    update_in_min: null,
    update_diff_in_min: null,
    last_close_at: null,
    last_contact_at: null,
    last_contact_agent_at: null,
    last_contact_customer_at: null,
    last_owner_update_at: null,
    create_article_type_id: null,
    create_article_sender_id: null,
    article_count: 0,
    escalation_at: null,
    pending_time: pendingTime,
    type: null,
    time_unit: null,
    preferences: isObject(params.preferences) ? { ...params.preferences } : {},
    updated_by_id: actor.id,
    created_by_id: actor.id,
    created_at: now,
    updated_at: now,
  };
  store.tickets.set(ticket.id, ticket);
  store.ticketTags.set(ticket.id, parseTags(params.tags));
  store.ticketCustomAttributes.set(
    ticket.id,
    Object.fromEntries(ctx.settings.customTicketAttributes.map((name) => [name, params[name] ?? null])),
  );
  return finishWrite(ctx, actor, ticket, prepared);
}

/**
 * `PUT /tickets/{id}`: a partial update with an optional `article`. `number` cannot
 * change. Webhooks are notified only when an attribute changed or an article was
 * added, because Zammad's triggers see no transaction for an unchanged record.
 */
export function updateTicket(ctx: FakeContext, actor: UserRecord, ticketId: unknown, input: JsonObject): TicketWriteResult {
  const { store } = ctx;
  const ticket = findReadableTicket(ctx, actor, ticketId);
  const params = withoutAgentOnlyKeys(ctx, actor, input);
  const before = JSON.stringify([ticket, store.ticketCustomAttributes.get(ticket.id)]);
  const now = ctx.clock.timestamp();

  const title = optionalString(params.title);
  if (title !== null && title.trim() === '') {
    throw unprocessable("Missing required value for field 'title'!");
  }
  const group = resolveGroup(ctx, params);
  const state = resolveState(ctx, params);
  const priority = resolvePriority(ctx, params);
  const owner = resolveOwner(ctx, params);
  const customer = resolveCustomerReference(ctx, params);
  const organization = resolveAssociation(params, 'organization', 'Organization', (id) => store.organizations.get(id), (name) =>
    store.findByName(store.organizations, name),
  );
  const pendingInput = params.pending_time === undefined ? ticket.pending_time : optionalString(params.pending_time);
  const pendingTime = requirePendingTime(ctx, state ?? store.states.get(ticket.state_id)!, pendingInput);
  const articleParams = isObject(params.article) ? params.article : null;
  const prepared = articleParams ? prepareArticle(ctx, actor, articleParams) : null;

  ticket.title = title ?? ticket.title;
  ticket.group_id = group?.id ?? ticket.group_id;
  ticket.priority_id = priority?.id ?? ticket.priority_id;
  ticket.customer_id = customer?.id ?? ticket.customer_id;
  ticket.organization_id = organization?.id ?? (customer ? customer.organization_id : ticket.organization_id);
  ticket.pending_time = pendingTime;
  if (params.note !== undefined) {
    ticket.note = optionalString(params.note);
  }
  if (owner && owner.id !== ticket.owner_id) {
    ticket.owner_id = owner.id;
    ticket.last_owner_update_at = now;
  }
  if (state && state.id !== ticket.state_id) {
    ticket.state_id = state.id;
    if (store.stateTypeName(state) === 'closed') {
      ticket.close_at ??= now;
      ticket.last_close_at = now;
    }
  }
  if (isObject(params.preferences)) {
    ticket.preferences = { ...ticket.preferences, ...params.preferences };
  }
  store.ticketCustomAttributes.set(ticket.id, {
    ...store.ticketCustomAttributes.get(ticket.id),
    ...pickCustomAttributes(ctx, params),
  });
  const changed = before !== JSON.stringify([ticket, store.ticketCustomAttributes.get(ticket.id)]);
  if (!changed && !prepared) {
    return { ticket, article: null };
  }
  ticket.updated_at = now;
  ticket.updated_by_id = actor.id;
  return finishWrite(ctx, actor, ticket, prepared);
}

/** `DELETE /tickets/{id}` (admin only). Deleting sends no webhook, as Zammad's triggers do not run on destroy. */
export function deleteTicket(ctx: FakeContext, actor: UserRecord, ticketId: unknown): void {
  const { store } = ctx;
  const ticket = findTicket(ctx, ticketId);
  assertCanDeleteTicket(store, actor, ticket);
  for (const article of store.articlesOfTicket(ticket.id)) {
    for (const attachment of store.attachmentsOfArticle(article.id)) {
      store.attachments.delete(attachment.id);
    }
    store.articles.delete(article.id);
    store.timeAccountings.delete(article.id);
  }
  store.tickets.delete(ticket.id);
  store.ticketTags.delete(ticket.id);
  store.ticketCustomAttributes.delete(ticket.id);
  ctx.searchIndex.indexTicket(store, ticket.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
}

export function findTicket(ctx: FakeContext, ticketId: unknown): TicketRecord {
  const id = toId(ticketId);
  const ticket = id === undefined ? undefined : ctx.store.tickets.get(id);
  if (!ticket) {
    throw notFound('Ticket', ticketId);
  }
  return ticket;
}

export function findReadableTicket(ctx: FakeContext, actor: UserRecord, ticketId: unknown): TicketRecord {
  const ticket = findTicket(ctx, ticketId);
  assertCanReadTicket(ctx.store, actor, ticket);
  return ticket;
}

function finishWrite(
  ctx: FakeContext,
  actor: UserRecord,
  ticket: TicketRecord,
  prepared: PreparedArticle | null,
): TicketWriteResult {
  const article = prepared ? storeArticle(ctx, ticket, prepared, actor) : null;
  ctx.searchIndex.indexTicket(ctx.store, ticket.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
  ctx.notifyChange({ ticketId: ticket.id, articleId: article?.id ?? null, actorId: actor.id });
  return { ticket, article };
}

function withoutAgentOnlyKeys(ctx: FakeContext, actor: UserRecord, params: JsonObject): JsonObject {
  if (ctx.store.isAgent(actor)) {
    return params;
  }
  const result = { ...params };
  for (const key of AGENT_ONLY_KEYS) {
    delete result[key];
  }
  return result;
}

function resolveGroup(ctx: FakeContext, params: JsonObject): GroupRecord | undefined {
  const { store } = ctx;
  return resolveAssociation(params, 'group', 'Group', (id) => store.groups.get(id), (name) => store.findByName(store.groups, name));
}

function resolveState(ctx: FakeContext, params: JsonObject): StateRecord | undefined {
  const { store } = ctx;
  return resolveAssociation(params, 'state', 'Ticket::State', (id) => store.states.get(id), (name) =>
    store.findByName(store.states, name),
  );
}

function resolvePriority(ctx: FakeContext, params: JsonObject) {
  const { store } = ctx;
  return resolveAssociation(params, 'priority', 'Ticket::Priority', (id) => store.priorities.get(id), (name) =>
    store.findByName(store.priorities, name),
  );
}

function resolveOwner(ctx: FakeContext, params: JsonObject): UserRecord | undefined {
  const { store } = ctx;
  const owner = resolveAssociation(params, 'owner', 'User', (id) => store.users.get(id), (name) => store.findUser(name));
  if (owner && owner.id !== SYSTEM_USER_ID && !store.isAgent(owner)) {
    throw unprocessable(`Invalid value '${owner.id}' for field 'owner_id'!`);
  }
  return owner;
}

function resolveCustomerReference(ctx: FakeContext, params: JsonObject): UserRecord | undefined {
  const { store } = ctx;
  return resolveAssociation(params, 'customer', 'User', (id) => store.users.get(id), (name) => store.findUser(name));
}

/**
 * Finds the customer for a new ticket: `customer_id` (id or `guess:<email>`, which
 * creates the user when missing), `customer` by login or e-mail, or a `customer`
 * object that is looked up by id, e-mail or login and created when not found.
 */
function resolveCustomer(ctx: FakeContext, actor: UserRecord, params: JsonObject): UserRecord {
  const { store } = ctx;
  const guess = typeof params.customer_id === 'string' ? /^guess:(.+)$/.exec(params.customer_id) : null;
  if (guess) {
    const email = guess[1];
    if (!isValidEmail(email)) {
      throw new ZammadError(422, `Invalid email '${email}' of customer`, false);
    }
    return store.findUserByEmail(email) ?? createCustomer(ctx, actor, { email });
  }
  if (isObject(params.customer)) {
    const fields = params.customer;
    const existing =
      (toId(fields.id) === undefined ? undefined : store.users.get(toId(fields.id)!)) ??
      (typeof fields.email === 'string' ? store.findUserByEmail(fields.email) : undefined) ??
      (typeof fields.login === 'string' ? store.findUser(fields.login) : undefined);
    return existing ?? createCustomer(ctx, actor, fields);
  }
  const customer = resolveCustomerReference(ctx, params);
  if (!customer) {
    throw unprocessable("Missing required value for field 'customer_id'!");
  }
  return customer;
}

/** Requires `pending_time` for pending states and clears it for the others. */
function requirePendingTime(ctx: FakeContext, state: StateRecord, pendingTime: string | null): string | null {
  const typeName = ctx.store.stateTypeName(state);
  if (typeName !== 'pending reminder' && typeName !== 'pending action') {
    return null;
  }
  if (pendingTime === null || pendingTime === '') {
    throw unprocessable("Missing required value for field 'pending_time'!");
  }
  const parsed = new Date(pendingTime);
  if (Number.isNaN(parsed.getTime())) {
    throw unprocessable(`Invalid value '${pendingTime}' for field 'pending_time'!`);
  }
  return parsed.toISOString();
}

function parseTags(tags: unknown): string[] {
  let list: string[] = [];
  if (Array.isArray(tags)) {
    list = tags.map(String);
  } else if (typeof tags === 'string') {
    list = tags.split(',');
  }
  return [...new Set(list.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

function pickCustomAttributes(ctx: FakeContext, params: JsonObject): Record<string, unknown> {
  const entries = ctx.settings.customTicketAttributes
    .filter((name) => params[name] !== undefined)
    .map((name) => [name, params[name]]);
  return Object.fromEntries(entries);
}
