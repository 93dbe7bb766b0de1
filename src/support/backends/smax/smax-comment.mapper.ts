import { stripNullCharacters } from '../../common/null-characters';
import type { EmbeddedCommentJson, SmaxCommentJson } from './ems-types';
import { bodyText, textToHtml, unescapeEmbeddedBody } from './smax-html';
import { epochMillisToDate, readBoolean, readString } from './smax-values';

/** A comment on a Request, in our domain's terms. */
export interface SmaxCommentSnapshot {
  id: string;
  /** The body as SMAX keeps it, usually HTML. */
  bodyHtml: string;
  /** The body as plain text, for our API. */
  text: string;
  isPublic: boolean;
  /** `PUBLIC`, `INTERNAL`, `AGENTPUBLIC` or whatever the server sent. */
  privacyType: string;
  /** Person Id of the submitter, when the comment names one. */
  submitterPersonId: string | undefined;
  /** True for comments SMAX or its rules wrote (`IsSystem`), not a person. */
  isSystem: boolean;
  functionalPurpose: string | undefined;
  createdAt: Date | null;
  /** Null until the comment is edited. */
  updatedAt: Date | null;
  /**
   * File repository guids of the files the comment carries (`AttachmentIds`). Empty when it
   * names none, or when the comment came from the `Comments` property, which does not list them.
   */
  attachmentIds: string[];
}

/** Input of a comment add or replace. */
export interface SmaxCommentInput {
  text: string;
  isPublic: boolean;
  /** Person Id of the author; without it SMAX records the integration user. */
  submitterPersonId: string | undefined;
}

export const END_USER_COMMENT = 'EndUserComment';

/**
 * Only PUBLIC comments are shown to customers. INTERNAL is agent-only, and AGENTPUBLIC is
 * kept private too: public SMAX material does not say whether customers see it, and showing
 * an agent note to a customer is the worse mistake.
 */
export function isPublicPrivacy(privacyType: string): boolean {
  return privacyType.toUpperCase() === 'PUBLIC';
}

/** Maps a comment of the collaboration API; undefined for an item without an id. */
export function mapComment(json: SmaxCommentJson): SmaxCommentSnapshot | undefined {
  const id = readString(json.Id);
  if (id === undefined) return undefined;
  const privacyType = readString(json.PrivacyType) ?? 'PUBLIC';
  const submitter = json.Submitter as { UserId?: unknown } | string | undefined;
  const body = readString(json.Body) ?? '';
  return {
    id,
    bodyHtml: body,
    text: bodyText(body),
    isPublic: isPublicPrivacy(privacyType),
    privacyType,
    submitterPersonId: typeof submitter === 'object' && submitter !== null ? readString(submitter.UserId) : personIdOf(submitter),
    isSystem: readBoolean(json.IsSystem) ?? false,
    functionalPurpose: readString(json.FunctionalPurpose),
    createdAt: epochMillisToDate(json.CreateTime),
    updatedAt: epochMillisToDate(json.UpdateTime),
    attachmentIds: readIdList(json.AttachmentIds),
  };
}

export function mapComments(body: unknown): SmaxCommentSnapshot[] {
  const list = Array.isArray(body) ? body : [];
  return list
    .filter((item): item is SmaxCommentJson => typeof item === 'object' && item !== null)
    .map(mapComment)
    .filter((comment): comment is SmaxCommentSnapshot => comment !== undefined);
}

/**
 * Maps the comments inside a Request's `Comments` property, a JSON string of
 * `{"Comment": [...]}` whose bodies SMAX HTML-escapes and whose submitter is `"Person/<id>"`.
 * Returns undefined when the value is absent or cannot be read.
 */
export function mapEmbeddedComments(value: unknown): SmaxCommentSnapshot[] | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    // The string may carry `\u0000` escapes, which only this second parse turns into U+0000.
    parsed = stripNullCharacters(JSON.parse(value) as unknown);
  } catch {
    return undefined;
  }
  const list = (parsed as { Comment?: unknown } | null)?.Comment;
  if (!Array.isArray(list)) return undefined;
  return list
    .filter((item): item is EmbeddedCommentJson => typeof item === 'object' && item !== null)
    .map((item): SmaxCommentSnapshot | undefined => {
      const id = readString(item.CommentId);
      if (id === undefined) return undefined;
      const privacyType = readString(item.PrivacyType) ?? 'PUBLIC';
      const body = unescapeEmbeddedBody(readString(item.CommentBody) ?? '');
      return {
        id,
        bodyHtml: body,
        text: bodyText(body),
        isPublic: isPublicPrivacy(privacyType),
        privacyType,
        submitterPersonId: personIdOf(item.Submitter),
        isSystem: false,
        functionalPurpose: readString(item.FunctionalPurpose),
        createdAt: epochMillisToDate(item.CreateTime),
        updatedAt: null,
        attachmentIds: [],
      };
    })
    .filter((comment): comment is SmaxCommentSnapshot => comment !== undefined);
}

/**
 * Builds the body of a comment add or replace (PUT resends the whole comment). The text is
 * converted to HTML because SMAX does not keep plain newlines.
 */
export function toCommentBody(input: SmaxCommentInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    IsSystem: false,
    Body: textToHtml(input.text),
    PrivacyType: input.isPublic ? 'PUBLIC' : 'INTERNAL',
    ActualInterface: 'API',
    CommentFrom: 'User',
    FunctionalPurpose: END_USER_COMMENT,
  };
  if (input.submitterPersonId !== undefined) body.Submitter = { UserId: input.submitterPersonId };
  return body;
}

/** Reads a list of ids, strings or numbers. Anything else gives an empty list. */
function readIdList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(readString).filter((id): id is string => id !== undefined);
}

/** Reads `"Person/10016"` (or a bare id) as `"10016"`. */
function personIdOf(value: unknown): string | undefined {
  const text = readString(value);
  if (text === undefined) return undefined;
  const slash = text.lastIndexOf('/');
  return slash >= 0 ? readString(text.slice(slash + 1)) : text;
}
