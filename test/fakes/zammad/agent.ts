import { createArticle, prepareArticle, storeArticle } from './article-operations';
import type { FakeContext } from './context';
import { AGENT_USER_ID, CUSTOMER_USER_ID, INTEGRATION_USER_ID, SYSTEM_USER_ID } from './seed-data';
import { type TicketWriteResult, createTicket, findTicket, updateTicket } from './ticket-operations';
import type { ArticleRecord, JsonObject, TicketRecord, UserRecord } from './types';

/** A user by id, login or e-mail, or one of the seeded roles by keyword. */
export type UserReference = number | string;

const USER_KEYWORDS: Record<string, number> = {
  agent: AGENT_USER_ID,
  customer: CUSTOMER_USER_ID,
  integration: INTEGRATION_USER_ID,
  system: SYSTEM_USER_ID,
};

/** A file to attach; give the bytes as base64 `data` or as UTF-8 `text`. */
export interface FileInput {
  filename: string;
  data?: string;
  text?: string;
  /** Defaults to `application/octet-stream`. */
  mimeType?: string;
}

export interface ArticleInput {
  body: string;
  /** Defaults to `text/html`, as the Zammad web UI sends. */
  contentType?: string;
  subject?: string;
  to?: string;
  cc?: string;
  attachments?: FileInput[];
  /** Acting user; the seeded agent by default. */
  as?: UserReference;
}

export interface TicketInput {
  title: string;
  body: string;
  /** Customer by id, login or e-mail; the seeded customer by default. */
  customer?: UserReference;
  group?: string;
  state?: string;
  priority?: string;
  contentType?: string;
  attachments?: FileInput[];
  as?: UserReference;
}

/**
 * What a person does in Zammad's UI, done through the same operations as the REST
 * routes, so each action is stored the same way and sends webhooks to every
 * registered endpoint.
 */
export class AgentActions {
  constructor(private readonly ctx: FakeContext) {}

  /** Sends a public e-mail reply to the ticket's customer. */
  reply(ticketId: number, input: ArticleInput): ArticleRecord {
    const ticket = findTicket(this.ctx, ticketId);
    const customer = this.ctx.store.users.get(ticket.customer_id);
    return createArticle(this.ctx, this.resolveUser(input.as, AGENT_USER_ID), {
      ...this.articleParams(input),
      ticket_id: ticketId,
      type: 'email',
      internal: false,
      to: input.to ?? customer?.email ?? null,
    });
  }

  /** Adds an internal note, hidden from the customer. */
  note(ticketId: number, input: ArticleInput): ArticleRecord {
    return createArticle(this.ctx, this.resolveUser(input.as, AGENT_USER_ID), {
      ...this.articleParams(input),
      ticket_id: ticketId,
      type: 'note',
      internal: true,
    });
  }

  /** Adds a reply written by the customer through the web portal (a public `web` article). */
  customerReply(ticketId: number, input: ArticleInput): ArticleRecord {
    return createArticle(this.ctx, this.resolveUser(input.as, CUSTOMER_USER_ID), {
      ...this.articleParams(input),
      ticket_id: ticketId,
      type: 'web',
      internal: false,
    });
  }

  /** Sets the state by name; pending states get `pendingTime` or one day from now. */
  setState(ticketId: number, state: string, options: { pendingTime?: string; as?: UserReference } = {}): TicketRecord {
    const params: JsonObject = { state };
    const stateRecord = this.ctx.store.findByName(this.ctx.store.states, state);
    const typeName = stateRecord ? this.ctx.store.stateTypeName(stateRecord) : '';
    if (typeName.startsWith('pending')) {
      params.pending_time = options.pendingTime ?? new Date(this.ctx.clock.now().getTime() + 86_400_000).toISOString();
    }
    return updateTicket(this.ctx, this.resolveUser(options.as, AGENT_USER_ID), ticketId, params).ticket;
  }

  /** Adds a note carrying one file, public unless `internal` is set. */
  attachFile(
    ticketId: number,
    file: FileInput,
    options: { internal?: boolean; body?: string; as?: UserReference } = {},
  ): ArticleRecord {
    return createArticle(this.ctx, this.resolveUser(options.as, AGENT_USER_ID), {
      ticket_id: ticketId,
      body: options.body ?? file.filename,
      type: 'note',
      internal: options.internal ?? false,
      content_type: 'text/plain',
      attachments: [toAttachmentParam(file)],
    });
  }

  /** Creates a ticket with a first phone article from the customer, entered by the agent or the given user. */
  createTicket(input: TicketInput): TicketWriteResult {
    const customer = this.resolveUser(input.customer, CUSTOMER_USER_ID);
    return createTicket(this.ctx, this.resolveUser(input.as, AGENT_USER_ID), {
      title: input.title,
      group: input.group ?? 'Users',
      customer_id: customer.id,
      state: input.state,
      priority: input.priority,
      article: {
        body: input.body,
        type: 'phone',
        sender: 'Customer',
        origin_by_id: customer.id,
        internal: false,
        content_type: input.contentType ?? 'text/html',
        attachments: input.attachments?.map(toAttachmentParam),
      },
    });
  }

  /**
   * Adds an article written by Zammad itself (`sender: System`), like a trigger's
   * auto-reply. Integrations are expected to skip these.
   */
  addSystemArticle(ticketId: number, input: { body: string; internal?: boolean; type?: string }): ArticleRecord {
    const ticket = findTicket(this.ctx, ticketId);
    const system = this.resolveUser('system', SYSTEM_USER_ID);
    const prepared = prepareArticle(this.ctx, this.resolveUser('integration', INTEGRATION_USER_ID), {
      body: input.body,
      type: input.type ?? 'note',
      sender: 'System',
      internal: input.internal ?? false,
      content_type: 'text/html',
    });
    prepared.fields.created_by_id = system.id;
    prepared.fields.updated_by_id = system.id;
    const article = storeArticle(this.ctx, ticket, prepared, system);
    this.ctx.notifyChange({ ticketId: ticket.id, articleId: article.id, actorId: system.id });
    return article;
  }

  resolveUser(reference: UserReference | undefined, fallbackId: number): UserRecord {
    if (reference === undefined || reference === null || reference === '') {
      return this.ctx.store.users.get(fallbackId)!;
    }
    const keywordId = typeof reference === 'string' ? USER_KEYWORDS[reference] : undefined;
    const user = keywordId === undefined ? this.ctx.store.findUser(reference) : this.ctx.store.users.get(keywordId);
    if (!user) {
      throw new Error(`Unknown user ${JSON.stringify(reference)}: give an id, login, e-mail or agent/customer/integration`);
    }
    return user;
  }

  private articleParams(input: ArticleInput): JsonObject {
    return {
      body: input.body,
      content_type: input.contentType ?? 'text/html',
      subject: input.subject,
      cc: input.cc,
      attachments: input.attachments?.map(toAttachmentParam),
    };
  }
}

export function toAttachmentParam(file: FileInput): JsonObject {
  const data = file.data ?? Buffer.from(file.text ?? '', 'utf8').toString('base64');
  return { filename: file.filename, data, 'mime-type': file.mimeType ?? 'application/octet-stream' };
}
