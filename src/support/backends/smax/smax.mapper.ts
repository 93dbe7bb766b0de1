import type { EmsEntity, EmsProperties } from './ems-types';
import { mapRequestAttachments, SmaxAttachmentSnapshot } from './smax-attachment.mapper';
import { mapEmbeddedComments, SmaxCommentSnapshot } from './smax-comment.mapper';
import { bodyText, comparableText, escapeHtml, textToHtml } from './smax-html';
import { epochMillisToDate, readNumber, readString } from './smax-values';

/** A SMAX Request in our domain's terms. */
export interface SmaxRequestSnapshot {
  id: string;
  summary: string | undefined;
  /** The HTML description without our reference line. */
  descriptionHtml: string | undefined;
  /** That description as plain text, for our API. */
  descriptionText: string | undefined;
  /** Our issue uuid (32 hex) from the reference line, when the Request was made by us. */
  issueReference: string | undefined;
  /** Workflow phase (`Log`, `Close`, `Abandon`, ...); it becomes our issue's status. */
  phase: string | undefined;
  /** SMAX's own status (`RequestStatusReady`, ...), kept for reference. */
  smaxStatus: string | undefined;
  requestedByPersonId: string | undefined;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** `LastUpdateTime` as sent, in epoch milliseconds: the version used to order changes. */
  version: number | undefined;
  /** Files of `RequestAttachments`; undefined when the value could not be read. */
  attachments: SmaxAttachmentSnapshot[] | undefined;
  /** Comments of the `Comments` property; undefined when absent or unreadable. */
  embeddedComments: SmaxCommentSnapshot[] | undefined;
}

/** Input of a new Request. */
export interface NewRequestInput {
  summary: string;
  descriptionText: string;
  issueUuid: string;
  requestedByPersonId: string;
  categoryId: string | undefined;
  /** Request properties and their values: offering, creation source name, organisation, project, resource. */
  extraProperties: Record<string, string>;
}

/** Waldur truncates `DisplayLabel` to this; SMAX's own limit is not public. */
export const SMAX_SUMMARY_MAX_LENGTH = 140;

const REFERENCE_LABEL = 'Deskbridge reference:';
const REFERENCE_PATTERN = /Deskbridge reference:\s*([0-9a-f]{32})/i;
const REFERENCE_PARAGRAPH = /<p\b[^>]*>\s*Deskbridge reference:\s*[0-9a-f]{32}\s*<\/p>/gi;

/** Maps a Request entity; properties missing from the layout stay undefined. */
export function mapRequest(entity: EmsEntity): SmaxRequestSnapshot {
  const properties: EmsProperties = entity.properties ?? {};
  const id = readString(properties.Id);
  if (id === undefined) throw new Error('the Request entity has no Id');
  const description = readString(properties.Description);
  const descriptionHtml = description === undefined ? undefined : removeReference(description);
  return {
    id,
    summary: readString(properties.DisplayLabel),
    descriptionHtml,
    descriptionText: descriptionHtml === undefined ? undefined : bodyText(descriptionHtml),
    issueReference: description === undefined ? undefined : findReference(description),
    phase: readString(properties.PhaseId),
    smaxStatus: readString(properties.Status),
    requestedByPersonId: readString(properties.RequestedByPerson),
    createdAt: epochMillisToDate(properties.EmsCreationTime),
    updatedAt: epochMillisToDate(properties.LastUpdateTime),
    version: readNumber(properties.LastUpdateTime),
    attachments: mapRequestAttachments(properties.RequestAttachments),
    embeddedComments: mapEmbeddedComments(properties.Comments),
  };
}

/**
 * Builds the properties of a bulk CREATE. The description ends with a reference line that
 * names our issue, so a retried create finds the Request an earlier attempt made.
 */
export function toNewRequestProperties(input: NewRequestInput): Record<string, string> {
  const properties: Record<string, string> = {
    DisplayLabel: input.summary.slice(0, SMAX_SUMMARY_MAX_LENGTH),
    Description: describeWithReference(input.descriptionText, input.issueUuid),
    RequestedByPerson: input.requestedByPersonId,
    CreationSource: 'CreationSourceExternal',
  };
  if (input.categoryId !== undefined) properties.Category = input.categoryId;
  for (const [name, value] of Object.entries(input.extraProperties)) {
    if (name !== '' && value !== '') properties[name] = value;
  }
  return properties;
}

/** Our description as SMAX HTML, followed by the reference line. */
export function describeWithReference(text: string, issueUuid: string): string {
  return `${textToHtml(text)}<p>${REFERENCE_LABEL} ${escapeHtml(compactUuid(issueUuid))}</p>`;
}

/** Returns the issue uuid (32 hex) named by a description's reference line, if it has one. */
export function findReference(html: string): string | undefined {
  return REFERENCE_PATTERN.exec(comparableText(html))?.[1]?.toLowerCase();
}

export function compactUuid(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

function removeReference(html: string): string {
  return html.replace(REFERENCE_PARAGRAPH, '');
}
