import { EntityManager, In } from 'typeorm';

import { formatUuid } from '../../../common/http/uuid';
import { Attachment } from '../../attachments/attachment.entity';
import { Comment } from '../../comments/comment.entity';
import type { Issue } from '../../issues/issue.entity';
import { SupportUser } from '../../support-users/support-user.entity';
import { attachmentArticleBody, commentArticleBody, findPushedArticle, PushedArticleQuery } from './zammad-articles';
import { ZammadReferenceData } from './zammad-reference-data';
import { ZammadClient } from './zammad.client';
import type { ZammadSettings } from './zammad.config';
import type { ZammadArticle, ZammadTicket } from './zammad.types';

const BACKEND = 'zammad';

/** Tag prefix of the marker that ties a ticket to its issue, so a retried create finds it. */
const ISSUE_TAG_PREFIX = 'deskbridge-issue-';

/**
 * Finds what a create stored in Zammad when its response was lost, since Zammad has no
 * idempotency keys. Tickets carry a tag with the issue's uuid. Articles are matched by
 * their marked text (and file) among those of the ticket that no row of ours claims yet.
 */
export class ZammadLostCreates {
  constructor(
    private readonly client: ZammadClient,
    private readonly reference: ZammadReferenceData,
    private readonly settings: ZammadSettings,
  ) {}

  /** Finds the ticket of `issue` by its tag; undefined when no create reached Zammad. */
  async findTicket(issue: Pick<Issue, 'uuid'>): Promise<ZammadTicket | undefined> {
    const tickets = await this.client.searchTickets({ 'ticket.tags': { operator: 'contains all', value: issueTag(issue) } }, 1, 10);
    return tickets.sort((left, right) => left.id - right.id)[0];
  }

  /** Finds the article that a create of `comment` stored. */
  async findComment(comment: Comment, issue: Issue, manager: EntityManager): Promise<ZammadArticle | undefined> {
    return this.findArticle(issue, manager, { body: await this.commentBody(comment, manager) });
  }

  /** Finds the note that an upload of `attachment` stored. */
  async findAttachment(attachment: Attachment, issue: Issue, manager: EntityManager, size: number): Promise<ZammadArticle | undefined> {
    const body = await this.attachmentBody(attachment, manager);
    return this.findArticle(issue, manager, { body, file: { name: attachment.fileName, size } });
  }

  /** Builds the article body of a comment, as `createComment` sends it. */
  async commentBody(comment: Comment, manager: EntityManager): Promise<string> {
    const author = await articleAuthor(manager, comment.authorId);
    return commentArticleBody(comment.description, authorName(author), this.settings.commentMarker, this.settings.commentPrefix);
  }

  /** Builds the body of the note that carries a file, as `createAttachment` sends it. */
  async attachmentBody(attachment: Attachment, manager: EntityManager): Promise<string> {
    const author = await articleAuthor(manager, attachment.authorId);
    return attachmentArticleBody(attachment.fileName, authorName(author), this.settings.commentMarker);
  }

  private async findArticle(issue: Issue, manager: EntityManager, query: Omit<PushedArticleQuery, 'excludedIds'>): Promise<ZammadArticle | undefined> {
    const articles = await this.client.listArticles(issue.backendId!);
    const excludedIds = await claimedArticleIds(manager, issue, articles);
    const integrationUserId = await this.reference.integrationUserId();
    return findPushedArticle(articles, { ...query, excludedIds }, { marker: this.settings.commentMarker, integrationUserId });
  }
}

/** Builds the tag that marks the ticket of `issue`: a fixed prefix and the issue's uuid as 32 hex digits. */
export function issueTag(issue: Pick<Issue, 'uuid'>): string {
  return `${ISSUE_TAG_PREFIX}${formatUuid(issue.uuid)}`;
}

/** Loads the support user who wrote a comment or added a file, with our user when linked. */
export async function articleAuthor(manager: EntityManager, supportUserId: number | null): Promise<SupportUser | null> {
  if (!supportUserId) return null;
  return manager.findOne(SupportUser, { where: { id: supportUserId }, relations: { user: true } });
}

/** Name for the author line: the linked user's full name, else the support user's name. */
export function authorName(author: SupportUser | null): string {
  return author?.user?.fullName || author?.name || '';
}

/** Ids of the ticket's articles that one of our comments or files already claims. */
async function claimedArticleIds(manager: EntityManager, issue: Issue, articles: ZammadArticle[]): Promise<Set<string>> {
  const claimed = new Set<string>();
  const comments = await manager.find(Comment, { select: { backendId: true }, where: { issueId: issue.id, backendName: BACKEND } });
  for (const comment of comments) if (comment.backendId) claimed.add(comment.backendId);

  const attachmentIds = articles.flatMap((article) => (article.attachments ?? []).map((file) => String(file.id)));
  if (attachmentIds.length === 0) return claimed;
  const files = await manager.find(Attachment, { select: { backendId: true }, where: { backendName: BACKEND, backendId: In(attachmentIds) } });
  const claimedFiles = new Set(files.map((file) => file.backendId));
  for (const article of articles) {
    if ((article.attachments ?? []).some((file) => claimedFiles.has(String(file.id)))) claimed.add(String(article.id));
  }
  return claimed;
}
