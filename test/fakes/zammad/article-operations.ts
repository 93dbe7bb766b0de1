import type { FakeContext } from './context';
import { forbidden, notFound, unprocessable } from './errors';
import { replaceInlineImages, sanitizeHtml } from './html';
import { isObject, optionalString, resolveAssociation, toBoolean, toId } from './params';
import { assertCanDeleteArticle, assertCanReadTicket, canReadArticle } from './policy';
import type { ArticleRecord, JsonObject, TicketRecord, UserRecord } from './types';

/** Address the fake uses as the group's sending address in `from` of agent e-mails. */
export const SUPPORT_ADDRESS = 'support@example.com';

interface PreparedFile {
  filename: string;
  data: Buffer;
  preferences: Record<string, string>;
}

/** A validated article that is not stored yet, so a failing request stores nothing. */
export interface PreparedArticle {
  fields: Omit<ArticleRecord, 'id' | 'ticket_id' | 'created_at' | 'updated_at'>;
  files: PreparedFile[];
  timeUnit: string | null;
}

/**
 * Validates article parameters as Zammad's CreatesTicketArticles concern does: `body`
 * is required, `type` defaults to `note`, `sender` to Agent for agents and Customer
 * otherwise, and customers are forced to public `note` or `web` articles.
 *
 * NOTE: Zammad validates the `attachments` entries only after saving the article, so
 * a bad attachment there can leave the article behind. The fake rejects the whole
 * request instead.
 */
export function prepareArticle(ctx: FakeContext, actor: UserRecord, params: JsonObject): PreparedArticle {
  const { store } = ctx;
  if (params.body === undefined || params.body === null) {
    throw unprocessable("Need at least an 'article body' field.");
  }
  const isAgent = store.isAgent(actor);

  let type =
    resolveAssociation(params, 'type', 'Ticket::Article::Type', (id) => store.articleTypeById(id), (name) =>
      store.findByName(store.articleTypes, name),
    ) ?? store.findByName(store.articleTypes, 'note')!;
  let sender =
    resolveAssociation(params, 'sender', 'Ticket::Article::Sender', (id) => store.senderById(id), (name) =>
      store.findByName(store.articleSenders, name),
    ) ?? store.findByName(store.articleSenders, isAgent ? 'Agent' : 'Customer')!;
  let internal = toBoolean(params.internal) ?? false;
  let originById = isAgent ? resolveOriginBy(ctx, params) : null;

  if (!isAgent) {
    sender = store.findByName(store.articleSenders, 'Customer')!;
    type = ['note', 'web'].includes(type.name) ? type : store.findByName(store.articleTypes, 'note')!;
    internal = false;
    originById = null;
  }

  const contentType = optionalString(params.content_type) ?? 'text/plain';
  let body = String(params.body);
  if (/text\/html/i.test(contentType)) {
    body = sanitizeHtml(body);
  }
  const author = originById === null ? actor : (store.users.get(originById) ?? actor);

  return {
    fields: {
      type_id: type.id,
      sender_id: sender.id,
      from: optionalString(params.from) ?? defaultFrom(ctx, author, sender.name, type.name),
      to: optionalString(params.to),
      cc: optionalString(params.cc),
      subject: optionalString(params.subject),
      reply_to: optionalString(params.reply_to),
      message_id: optionalString(params.message_id),
      message_id_md5: null,
      in_reply_to: optionalString(params.in_reply_to),
      content_type: contentType,
      references: optionalString(params.references),
      body,
      internal,
      preferences: isObject(params.preferences) ? { ...params.preferences } : {},
      updated_by_id: actor.id,
      created_by_id: actor.id,
      origin_by_id: originById,
    },
    files: prepareFiles(params.attachments),
    timeUnit: params.time_unit === undefined || params.time_unit === null ? null : String(params.time_unit),
  };
}

function resolveOriginBy(ctx: FakeContext, params: JsonObject): number | null {
  const origin = resolveAssociation(params, 'origin_by', 'User', (id) => ctx.store.users.get(id), (name) =>
    ctx.store.findUser(name),
  );
  return origin ? origin.id : null;
}

function defaultFrom(ctx: FakeContext, author: UserRecord, senderName: string, typeName: string): string {
  const name = ctx.store.displayName(author);
  if (senderName === 'Customer') {
    return author.email === '' ? name : `${name} <${author.email}>`;
  }
  if (senderName === 'Agent' && typeName === 'email') {
    return `${name} via <${SUPPORT_ADDRESS}>`;
  }
  return senderName === 'System' ? 'System' : name;
}

/** Checks `attachments` entries as Zammad does: `mime-type`, `filename` and strict base64 `data`. */
function prepareFiles(attachments: unknown): PreparedFile[] {
  if (attachments === undefined || attachments === null || attachments === '') {
    return [];
  }
  if (!Array.isArray(attachments)) {
    // What Ruby raises when a form-encoded request turns the list into a string.
    const shown = typeof attachments === 'string' ? attachments : 'mime-type';
    throw unprocessable(`undefined method \`each_with_index' for ${JSON.stringify(shown)}:String`);
  }
  return attachments.map((entry: unknown, index) => {
    const attachment = isObject(entry) ? entry : {};
    for (const key of ['mime-type', 'filename', 'data']) {
      if (attachment[key] === undefined || attachment[key] === null || attachment[key] === false) {
        throw unprocessable(`Attachment needs '${key}' param for attachment with index '${index}'`);
      }
    }
    const base64 = String(attachment.data).replace(/[\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) {
      throw unprocessable(`Invalid base64 for attachment with index '${index}'`);
    }
    const preferences: Record<string, string> = { 'Mime-Type': String(attachment['mime-type']) };
    if (attachment.charset !== undefined) {
      preferences.Charset = String(attachment.charset);
    }
    return { filename: String(attachment.filename), data: Buffer.from(base64, 'base64'), preferences };
  });
}

/**
 * Stores a prepared article on `ticket` with its attachments and updates the ticket's
 * counters and contact times. It does not notify webhooks; the caller does that once
 * per request.
 */
export function storeArticle(
  ctx: FakeContext,
  ticket: TicketRecord,
  prepared: PreparedArticle,
  actor: UserRecord,
): ArticleRecord {
  const { store } = ctx;
  const now = ctx.clock.timestamp();
  const article: ArticleRecord = {
    id: store.nextId('article'),
    ticket_id: ticket.id,
    ...prepared.fields,
    created_at: now,
    updated_at: now,
  };
  store.articles.set(article.id, article);
  if (/text\/html/i.test(article.content_type)) {
    article.body = replaceInlineImages(article.body, (image) => {
      const attachmentId = store.nextId('attachment');
      store.attachments.set(attachmentId, {
        id: attachmentId,
        article_id: article.id,
        filename: image.filename,
        data: image.data,
        preferences: {
          'Content-Type': image.mimeType,
          'Mime-Type': image.mimeType,
          'Content-ID': `${ticket.id}.${attachmentId}@fake-zammad.example.com`,
          'Content-Disposition': 'inline',
        },
      });
      return `/api/v1/ticket_attachment/${ticket.id}/${article.id}/${attachmentId}?view=inline`;
    });
  }
  for (const file of prepared.files) {
    const attachmentId = store.nextId('attachment');
    store.attachments.set(attachmentId, { id: attachmentId, article_id: article.id, ...file });
  }
  if (prepared.timeUnit !== null) {
    store.timeAccountings.set(article.id, prepared.timeUnit);
  }
  applyArticleToTicket(ctx, ticket, article, actor, now);
  queueOutgoingEmail(ctx, article, now);
  ctx.searchIndex.indexTicket(store, ticket.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
  return article;
}

function applyArticleToTicket(
  ctx: FakeContext,
  ticket: TicketRecord,
  article: ArticleRecord,
  actor: UserRecord,
  now: string,
): void {
  const { store } = ctx;
  const senderName = store.senderById(article.sender_id)?.name;
  const communication = store.articleTypeById(article.type_id)?.communication ?? false;
  ticket.article_count = store.articlesOfTicket(ticket.id).length;
  if (ticket.create_article_type_id === null) {
    ticket.create_article_type_id = article.type_id;
    ticket.create_article_sender_id = article.sender_id;
  }
  if (senderName === 'Customer') {
    ticket.last_contact_at = now;
    ticket.last_contact_customer_at = now;
  }
  if (senderName === 'Agent' && communication && !article.internal) {
    ticket.last_contact_at = now;
    ticket.last_contact_agent_at = now;
    ticket.first_response_at ??= now;
  }
  ticket.updated_at = now;
  ticket.updated_by_id = actor.id;
}

/** Records the e-mail real Zammad would send; internal e-mail articles are sent too. */
function queueOutgoingEmail(ctx: FakeContext, article: ArticleRecord, now: string): void {
  const { store } = ctx;
  const isEmail = store.articleTypeById(article.type_id)?.name === 'email';
  if (!isEmail || store.senderById(article.sender_id)?.name !== 'Agent') {
    return;
  }
  store.outgoingEmails.push({
    articleId: article.id,
    ticketId: article.ticket_id,
    from: article.from,
    to: article.to,
    cc: article.cc,
    subject: article.subject,
    internal: article.internal,
    queuedAt: now,
  });
}

/** `POST /ticket_articles`: adds an article to an existing ticket and notifies webhooks. */
export function createArticle(ctx: FakeContext, actor: UserRecord, params: JsonObject): ArticleRecord {
  const ticketId = toId(params.ticket_id);
  const ticket = ticketId === undefined ? undefined : ctx.store.tickets.get(ticketId);
  if (!ticket) {
    throw notFound('Ticket', params.ticket_id ?? '');
  }
  assertCanReadTicket(ctx.store, actor, ticket);
  const article = storeArticle(ctx, ticket, prepareArticle(ctx, actor, params), actor);
  ctx.notifyChange({ ticketId: ticket.id, articleId: article.id, actorId: actor.id });
  return article;
}

export function findReadableArticle(ctx: FakeContext, actor: UserRecord, articleId: unknown): ArticleRecord {
  const id = toId(articleId);
  const article = id === undefined ? undefined : ctx.store.articles.get(id);
  if (!article) {
    throw notFound('Ticket::Article', articleId);
  }
  if (!canReadArticle(ctx.store, actor, article)) {
    throw forbidden();
  }
  return article;
}

/** `PUT /ticket_articles/{id}`: only `internal` can change; other fields are ignored. */
export function updateArticle(ctx: FakeContext, actor: UserRecord, articleId: unknown, params: JsonObject): ArticleRecord {
  const article = findReadableArticle(ctx, actor, articleId);
  const ticket = ctx.store.tickets.get(article.ticket_id)!;
  if (!ctx.store.isAgent(actor)) {
    throw forbidden();
  }
  assertCanReadTicket(ctx.store, actor, ticket);
  const internal = toBoolean(params.internal);
  if (internal !== undefined && internal !== article.internal) {
    article.internal = internal;
    article.updated_at = ctx.clock.timestamp();
    article.updated_by_id = actor.id;
  }
  return article;
}

/**
 * `DELETE /ticket_articles/{id}` with the policy checks of Zammad. It sends no webhook.
 *
 * NOTE: whether real Zammad runs triggers when an article is deleted is not
 * confirmed; the fake assumes it does not.
 */
export function deleteArticle(ctx: FakeContext, actor: UserRecord, articleId: unknown): void {
  const article = findReadableArticle(ctx, actor, articleId);
  const { store } = ctx;
  assertCanDeleteArticle(store, actor, article, ctx.clock.now(), ctx.settings.articleDeleteTimeframeSeconds);
  for (const attachment of store.attachmentsOfArticle(article.id)) {
    store.attachments.delete(attachment.id);
  }
  store.articles.delete(article.id);
  store.timeAccountings.delete(article.id);
  const ticket = store.tickets.get(article.ticket_id);
  if (ticket) {
    ticket.article_count = store.articlesOfTicket(ticket.id).length;
    ctx.searchIndex.indexTicket(store, ticket.id, ctx.clock.now().getTime(), ctx.settings.searchDelayMs);
  }
}
