import type { FakeStore } from './store';
import type {
  ArticleRecord,
  AttachmentRecord,
  GroupRecord,
  JsonObject,
  OrganizationRecord,
  PriorityRecord,
  StateRecord,
  TicketRecord,
  UserRecord,
} from './types';

/**
 * Renderers for the three shapes Zammad returns for a record: its plain attributes,
 * attributes with the id lists of has-many associations ("with ids"), and those plus
 * the names of associated records ("with names", what `expand=true` gives).
 */

/** Plain ticket attributes, as `GET /tickets/{id}` without flags returns them. */
export function renderTicket(store: FakeStore, ticket: TicketRecord): JsonObject {
  return { ...ticket, ...store.ticketCustomAttributes.get(ticket.id) };
}

export function renderTicketWithIds(store: FakeStore, ticket: TicketRecord): JsonObject {
  return {
    ...renderTicket(store, ticket),
    article_ids: store.articlesOfTicket(ticket.id).map((article) => article.id),
    ticket_time_accounting_ids: [],
  };
}

/** Ticket with names; a name is left out when its id is null, as Zammad does. */
export function renderTicketWithNames(store: FakeStore, ticket: TicketRecord): JsonObject {
  const result = renderTicketWithIds(store, ticket);
  result.group = store.groups.get(ticket.group_id)?.name;
  if (ticket.organization_id !== null) {
    result.organization = store.organizations.get(ticket.organization_id)?.name;
  }
  result.ticket_time_accounting = [];
  result.state = store.states.get(ticket.state_id)?.name;
  result.priority = store.priorities.get(ticket.priority_id)?.name;
  result.owner = store.users.get(ticket.owner_id)?.login;
  result.customer = store.users.get(ticket.customer_id)?.login;
  result.created_by = store.users.get(ticket.created_by_id)?.login;
  result.updated_by = store.users.get(ticket.updated_by_id)?.login;
  if (ticket.create_article_type_id !== null) {
    result.create_article_type = store.articleTypeById(ticket.create_article_type_id)?.name;
  }
  if (ticket.create_article_sender_id !== null) {
    result.create_article_sender = store.senderById(ticket.create_article_sender_id)?.name;
  }
  return result;
}

/** Attachment metadata; `size` is a string, as in Zammad's API. */
export function renderAttachment(attachment: AttachmentRecord): JsonObject {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: String(attachment.data.length),
    preferences: { ...attachment.preferences },
  };
}

/** Renders an article with names, the only shape Zammad's article routes return. */
export function renderArticle(store: FakeStore, article: ArticleRecord): JsonObject {
  const result: JsonObject = {
    ...article,
    attachments: store.attachmentsOfArticle(article.id).map(renderAttachment),
    type: store.articleTypeById(article.type_id)?.name,
    sender: store.senderById(article.sender_id)?.name,
    created_by: store.users.get(article.created_by_id)?.login,
    updated_by: store.users.get(article.updated_by_id)?.login,
  };
  if (article.origin_by_id !== null) {
    result.origin_by = store.users.get(article.origin_by_id)?.login;
  }
  const timeUnit = store.timeAccountings.get(article.id);
  if (timeUnit !== undefined) {
    result.time_unit = timeUnit;
  }
  return result;
}

/** User attributes without the password, which Zammad never returns. */
export function renderUser(user: UserRecord): JsonObject {
  return { ...user };
}

export function renderUserWithNames(store: FakeStore, user: UserRecord): JsonObject {
  const result = renderUser(user);
  result.roles = user.role_ids.map((id) => store.roles.find((role) => role.id === id)?.name);
  result.two_factor_preferences = [];
  result.organizations = user.organization_ids.map((id) => store.organizations.get(id)?.name);
  result.authorizations = [];
  result.overview_sortings = [];
  if (user.organization_id !== null) {
    result.organization = store.organizations.get(user.organization_id)?.name;
  }
  result.groups = Object.fromEntries(
    Object.entries(user.group_ids).map(([id, access]) => [store.groups.get(Number(id))?.name ?? id, access]),
  );
  result.created_by = store.users.get(user.created_by_id)?.login;
  result.updated_by = store.users.get(user.updated_by_id)?.login;
  return result;
}

export function renderGroup(store: FakeStore, group: GroupRecord): JsonObject {
  const members = [...store.users.values()].filter((user) => group.id.toString() in user.group_ids);
  return { ...group, user_ids: members.map((user) => user.id) };
}

export function renderGroupWithNames(store: FakeStore, group: GroupRecord): JsonObject {
  const result = renderGroup(store, group);
  result.created_by = store.users.get(group.created_by_id)?.login;
  result.updated_by = store.users.get(group.updated_by_id)?.login;
  result.users = (result.user_ids as number[]).map((id) => store.users.get(id)?.login);
  return result;
}

export function renderOrganization(store: FakeStore, organization: OrganizationRecord): JsonObject {
  const members = [...store.users.values()].filter((user) => user.organization_id === organization.id);
  return { ...organization, member_ids: members.map((user) => user.id) };
}

export function renderOrganizationWithNames(store: FakeStore, organization: OrganizationRecord): JsonObject {
  const result = renderOrganization(store, organization);
  result.members = (result.member_ids as number[]).map((id) => store.users.get(id)?.login);
  result.created_by = store.users.get(organization.created_by_id)?.login;
  result.updated_by = store.users.get(organization.updated_by_id)?.login;
  return result;
}

export function renderState(store: FakeStore, state: StateRecord, expand: boolean): JsonObject {
  if (!expand) {
    return { ...state };
  }
  return {
    ...state,
    state_type: store.stateTypes.find((type) => type.id === state.state_type_id)?.name,
    created_by: store.users.get(state.created_by_id)?.login,
    updated_by: store.users.get(state.updated_by_id)?.login,
  };
}

export function renderPriority(store: FakeStore, priority: PriorityRecord, expand: boolean): JsonObject {
  if (!expand) {
    return { ...priority };
  }
  return {
    ...priority,
    created_by: store.users.get(priority.created_by_id)?.login,
    updated_by: store.users.get(priority.updated_by_id)?.login,
  };
}

/**
 * Builds Zammad's `assets` map (`{"Ticket": {"1": {...}}, "User": {...}}`) for tickets
 * and the users, groups and organisations they refer to, as `full=true` returns it.
 */
export function buildTicketAssets(store: FakeStore, tickets: TicketRecord[]): JsonObject {
  const assets: Record<string, Record<string, JsonObject>> = { Ticket: {}, User: {}, Group: {}, Organization: {} };
  for (const ticket of tickets) {
    assets.Ticket[ticket.id] = renderTicketWithIds(store, ticket);
    for (const userId of [ticket.customer_id, ticket.owner_id, ticket.created_by_id, ticket.updated_by_id]) {
      const user = store.users.get(userId);
      if (user) {
        assets.User[user.id] = renderUser(user);
      }
    }
    const group = store.groups.get(ticket.group_id);
    if (group) {
      assets.Group[group.id] = renderGroup(store, group);
    }
    const organization = ticket.organization_id === null ? undefined : store.organizations.get(ticket.organization_id);
    if (organization) {
      assets.Organization[organization.id] = renderOrganization(store, organization);
    }
  }
  return assets;
}
