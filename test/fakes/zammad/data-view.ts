import type { FakeContext } from './context';
import { renderArticle, renderTicketWithNames, renderUserWithNames } from './render';
import type { JsonObject, OutgoingEmail, WebhookRecord } from './types';

/**
 * Read access to the fake's data for tests, bypassing authentication and visibility
 * rules: internal articles are included. Records are rendered with names, as
 * `expand=true` shows them, and tickets also carry their `tags`.
 */
export class FakeDataView {
  constructor(private readonly ctx: FakeContext) {}

  tickets(): JsonObject[] {
    return [...this.ctx.store.tickets.keys()].sort((a, b) => a - b).map((id) => this.ticket(id)!);
  }

  ticket(ticketId: number): JsonObject | undefined {
    const ticket = this.ctx.store.tickets.get(ticketId);
    if (!ticket) {
      return undefined;
    }
    return { ...renderTicketWithNames(this.ctx.store, ticket), tags: [...(this.ctx.store.ticketTags.get(ticketId) ?? [])] };
  }

  articles(ticketId: number): JsonObject[] {
    return this.ctx.store.articlesOfTicket(ticketId).map((article) => renderArticle(this.ctx.store, article));
  }

  article(articleId: number): JsonObject | undefined {
    const article = this.ctx.store.articles.get(articleId);
    return article ? renderArticle(this.ctx.store, article) : undefined;
  }

  /** Stored bytes of an attachment, exactly as uploaded. */
  attachmentBytes(attachmentId: number): Buffer | undefined {
    const attachment = this.ctx.store.attachments.get(attachmentId);
    return attachment ? Buffer.from(attachment.data) : undefined;
  }

  users(): JsonObject[] {
    return [...this.ctx.store.users.values()].map((user) => renderUserWithNames(this.ctx.store, user));
  }

  webhooks(): WebhookRecord[] {
    return [...this.ctx.store.webhooks.values()].map((webhook) => ({ ...webhook }));
  }

  /** E-mails real Zammad would have sent for agents' `email` articles. */
  outgoingEmails(): OutgoingEmail[] {
    return this.ctx.store.outgoingEmails.map((email) => ({ ...email }));
  }
}
