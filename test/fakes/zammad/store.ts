import {
  AGENT_USER_ID,
  ARTICLE_SENDERS,
  ARTICLE_TYPES,
  CUSTOMER_USER_ID,
  FAKE_PASSWORD,
  FAKE_TOKENS,
  INTEGRATION_USER_ID,
  ROLE_ADMIN,
  ROLE_AGENT,
  ROLE_CUSTOMER,
  ROLES,
  STATE_TYPES,
  seedGroups,
  seedOrganizations,
  seedPriorities,
  seedStates,
  seedUsers,
} from './seed-data';
import type {
  ArticleRecord,
  ArticleSenderRecord,
  ArticleTypeRecord,
  AttachmentRecord,
  GroupRecord,
  OrganizationRecord,
  OutgoingEmail,
  PriorityRecord,
  RoleRecord,
  StateRecord,
  StateTypeRecord,
  TicketRecord,
  Timestamp,
  UserRecord,
  WebhookRecord,
} from './types';

/** Next free id per table; the seeds take the ids below these. */
interface IdCounters {
  user: number;
  organization: number;
  ticket: number;
  article: number;
  attachment: number;
  webhook: number;
}

/**
 * In-memory tables of the fake with lookups by id and by name. Business rules live in
 * the operations modules; this class only stores and finds records.
 */
export class FakeStore {
  readonly roles: RoleRecord[] = ROLES;
  readonly stateTypes: StateTypeRecord[] = STATE_TYPES;
  readonly articleTypes: ArticleTypeRecord[] = ARTICLE_TYPES;
  readonly articleSenders: ArticleSenderRecord[] = ARTICLE_SENDERS;

  users = new Map<number, UserRecord>();
  organizations = new Map<number, OrganizationRecord>();
  groups = new Map<number, GroupRecord>();
  states = new Map<number, StateRecord>();
  priorities = new Map<number, PriorityRecord>();
  tickets = new Map<number, TicketRecord>();
  articles = new Map<number, ArticleRecord>();
  attachments = new Map<number, AttachmentRecord>();
  webhooks = new Map<number, WebhookRecord>();
  /** Tags per ticket id, in the order they were added. */
  ticketTags = new Map<number, string[]>();
  /** Values of configured custom ticket attributes per ticket id. */
  ticketCustomAttributes = new Map<number, Record<string, unknown>>();
  /** `time_unit` values per article id, from `time_unit` on article create. */
  timeAccountings = new Map<number, string>();
  outgoingEmails: OutgoingEmail[] = [];
  tokens = new Map<string, number>();
  passwords = new Map<number, string>();
  private ids: IdCounters = { user: 1, organization: 1, ticket: 1, article: 1, attachment: 1, webhook: 1 };

  constructor(at: Timestamp) {
    this.reset(at);
  }

  /** Replaces every table with the seed data, stamped with `at`. */
  reset(at: Timestamp): void {
    this.users = toMap(seedUsers(at));
    this.organizations = toMap(seedOrganizations(at));
    this.groups = toMap(seedGroups(at));
    this.states = toMap(seedStates(at));
    this.priorities = toMap(seedPriorities(at));
    this.tickets = new Map();
    this.articles = new Map();
    this.attachments = new Map();
    this.webhooks = new Map();
    this.ticketTags = new Map();
    this.ticketCustomAttributes = new Map();
    this.timeAccountings = new Map();
    this.outgoingEmails = [];
    this.tokens = new Map([
      [FAKE_TOKENS.integration, INTEGRATION_USER_ID],
      [FAKE_TOKENS.agent, AGENT_USER_ID],
      [FAKE_TOKENS.customer, CUSTOMER_USER_ID],
    ]);
    this.passwords = new Map(
      [...this.users.values()].filter((user) => user.active).map((user) => [user.id, FAKE_PASSWORD]),
    );
    this.ids = {
      user: maxId(this.users) + 1,
      organization: maxId(this.organizations) + 1,
      ticket: 1,
      article: 1,
      attachment: 1,
      webhook: 1,
    };
  }

  nextId(table: keyof IdCounters): number {
    const id = this.ids[table];
    this.ids[table] = id + 1;
    return id;
  }

  findUser(reference: unknown): UserRecord | undefined {
    if (typeof reference === 'number' || (typeof reference === 'string' && /^\d+$/.test(reference))) {
      return this.users.get(Number(reference));
    }
    if (typeof reference !== 'string' || reference === '') {
      return undefined;
    }
    const wanted = reference.toLowerCase();
    return [...this.users.values()].find((user) => user.login === wanted || user.email.toLowerCase() === wanted);
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((user) => user.email !== '' && user.email.toLowerCase() === wanted);
  }

  findByName<T extends { name: string }>(table: Map<number, T> | T[], name: string): T | undefined {
    const records = Array.isArray(table) ? table : [...table.values()];
    return records.find((record) => record.name === name);
  }

  stateTypeName(state: StateRecord): string {
    return this.stateTypes.find((type) => type.id === state.state_type_id)?.name ?? 'open';
  }

  articleTypeById(id: number): ArticleTypeRecord | undefined {
    return this.articleTypes.find((type) => type.id === id);
  }

  senderById(id: number): ArticleSenderRecord | undefined {
    return this.articleSenders.find((sender) => sender.id === id);
  }

  articlesOfTicket(ticketId: number): ArticleRecord[] {
    return [...this.articles.values()].filter((article) => article.ticket_id === ticketId).sort(byId);
  }

  attachmentsOfArticle(articleId: number): AttachmentRecord[] {
    return [...this.attachments.values()].filter((attachment) => attachment.article_id === articleId).sort(byId);
  }

  isAdmin(user: UserRecord): boolean {
    return user.role_ids.includes(ROLE_ADMIN);
  }

  isAgent(user: UserRecord): boolean {
    return user.role_ids.includes(ROLE_AGENT);
  }

  isCustomer(user: UserRecord): boolean {
    return user.role_ids.includes(ROLE_CUSTOMER) && !this.isAgent(user);
  }

  /** Full display name as Zammad builds it, or the login when both names are empty. */
  displayName(user: UserRecord): string {
    const name = `${user.firstname} ${user.lastname}`.trim();
    return name === '' ? user.login : name;
  }
}

export function byId<T extends { id: number }>(left: T, right: T): number {
  return left.id - right.id;
}

function toMap<T extends { id: number }>(records: T[]): Map<number, T> {
  return new Map(records.map((record) => [record.id, record]));
}

function maxId(table: Map<number, unknown>): number {
  return Math.max(0, ...table.keys());
}
