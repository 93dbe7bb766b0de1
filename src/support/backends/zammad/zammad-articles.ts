import { escapeHtml, htmlToText, normalizeWhitespace, textToHtml } from '../../common/html-text';
import { mapArticle, ZammadCommentFields } from './zammad.mapper';
import type { ZammadArticle } from './zammad.types';

/** Article types Zammad counts as communication; it refuses to delete public ones. */
const NON_COMMUNICATION_TYPES = new Set(['note']);

export interface OwnArticleOptions {
  marker: string;
  /** Zammad user id of the API token; when known, only its articles count as ours. */
  integrationUserId: number | undefined;
}

/**
 * Body of a comment article: the text as HTML, a blank line, the marker line and the
 * author line, so the article is known as ours when it comes back.
 */
export function commentArticleBody(description: string, authorName: string, marker: string, prefixTemplate: string): string {
  const lines = [textToHtml(description.trim()), escapeHtml(marker)];
  const prefix = authorName.trim() ? prefixTemplate.replace(/\{name\}/g, authorName.trim()) : '';
  if (prefix.trim()) lines.push(escapeHtml(prefix));
  return lines.join('<br><br>');
}

/** Body of the internal note that carries an uploaded file. */
export function attachmentArticleBody(fileName: string, authorName: string, marker: string): string {
  const line = authorName.trim() ? `User ${authorName.trim()} added file ${fileName}.` : fileName;
  return `${escapeHtml(line)}<br><br>${escapeHtml(marker)}`;
}

/**
 * True for articles written through this service: a marker line and, when the
 * integration user is known, created by it. Checking the creator too keeps an agent's
 * reply that quotes one of our comments from being taken for ours.
 */
export function isOwnArticle(article: ZammadCommentFields, options: OwnArticleOptions): boolean {
  if (!article.carriesMarker) return false;
  return options.integrationUserId === undefined || article.createdById === options.integrationUserId;
}

/** Tells whether Zammad lets the author delete an article of this type while it is public. */
export function isDeletableWhilePublic(articleType: string): boolean {
  return NON_COMMUNICATION_TYPES.has(articleType);
}

export interface PushedArticleQuery {
  /** The body that was sent; Zammad may reformat its HTML, so the words are compared. */
  body: string;
  /** For attachment notes: the file that must be on the article. */
  file?: { name: string; size: number };
  /** Articles already linked to one of our rows, which cannot be the one searched. */
  excludedIds: ReadonlySet<string>;
}

/**
 * Finds the article an earlier attempt created when its response was lost: one of ours
 * with the same words (and the same file) that no row of ours claims yet. The oldest
 * match wins, so repeated lookups pick the same article.
 */
export function findPushedArticle(articles: ZammadArticle[], query: PushedArticleQuery, options: OwnArticleOptions): ZammadArticle | undefined {
  const expected = normalizeWhitespace(htmlToText(query.body));
  return articles
    .filter((article) => !query.excludedIds.has(String(article.id)))
    .filter((article) => {
      const fields = mapArticle(article, options.marker);
      if (!isOwnArticle(fields, options) || normalizeWhitespace(fields.text) !== expected) return false;
      if (!query.file) return true;
      const { name, size } = query.file;
      return fields.attachments.some((attachment) => attachment.fileName === name && (attachment.size === null || attachment.size === size));
    })
    .sort((left, right) => left.id - right.id)[0];
}
