import { safeFileName } from '../../common/file-names';
import { stripNullCharacters } from '../../common/null-characters';
import type { RequestAttachmentEntry, SmaxUploadJson } from './ems-types';
import { epochMillisToDate, readBoolean, readNumber, readString } from './smax-values';

/** One file listed in a Request's `RequestAttachments`, in our domain's terms. */
export interface SmaxAttachmentSnapshot {
  /** File repository guid; also the `backend_id` of our attachment. */
  id: string;
  fileName: string;
  size: number;
  mimeType: string;
  /** The uploader as the entry names it: a Person `ExternalId` or, on some tenants, a Person Id. */
  creator: string | undefined;
  /** True for images pasted into the description editor, which are part of the description. */
  hidden: boolean;
  updatedAt: Date | null;
}

/** A file stored by `ces/attachment`, before it is linked to a Request. */
export interface SmaxUploadedFile {
  guid: string;
  name: string;
  size: number;
  contentType: string;
  lastModified: number | undefined;
}

export type AttachmentEntriesResult = { readable: true; entries: RequestAttachmentEntry[] } | { readable: false; reason: string };

/** Name SMAX shows for an entry with neither `file_name` nor `name`. */
export const UNNAMED_ATTACHMENT = 'Unknown';

const OCTET_STREAM = 'application/octet-stream';

/** Types for extensions SMAX attachments commonly have, used when an entry lacks a full MIME type. */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
  gz: 'application/gzip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  eml: 'message/rfc822',
};

/**
 * Reads the entries of a `RequestAttachments` value, a JSON string of
 * `{"complexTypeProperties": [{"properties": {...}}]}`. An absent or empty value has no
 * entries. A value that cannot be read is reported as unreadable, so a caller never takes
 * it for an empty list and drops our attachments.
 */
export function readAttachmentEntries(value: unknown): AttachmentEntriesResult {
  if (value === undefined || value === null || value === '') return { readable: true, entries: [] };
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      // The string may carry `\u0000` escapes, which only this second parse turns into U+0000.
      parsed = stripNullCharacters(JSON.parse(value) as unknown);
    } catch (error) {
      return { readable: false, reason: `RequestAttachments is not valid JSON: ${(error as Error).message}` };
    }
  }
  const list = (parsed as { complexTypeProperties?: unknown } | null)?.complexTypeProperties;
  if (!Array.isArray(list)) {
    return { readable: false, reason: 'RequestAttachments has no complexTypeProperties list.' };
  }
  const entries = list.filter(
    (entry): entry is RequestAttachmentEntry =>
      typeof entry === 'object' && entry !== null && typeof (entry as { properties?: unknown }).properties === 'object' && (entry as { properties?: unknown }).properties !== null,
  );
  return { readable: true, entries };
}

/** Maps one entry; entries without an id are not files we can fetch and give undefined. */
export function mapAttachmentEntry(entry: RequestAttachmentEntry): SmaxAttachmentSnapshot | undefined {
  const properties = entry.properties;
  const id = readString(properties.id);
  if (id === undefined) return undefined;
  const fileName = safeFileName(readString(properties.file_name) ?? readString(properties.name) ?? UNNAMED_ATTACHMENT);
  return {
    id,
    fileName,
    size: readNumber(properties.size) ?? 0,
    mimeType: normalizeMimeType(readString(properties.mime_type), readString(properties.file_extension), fileName),
    creator: readString(properties.Creator),
    hidden: readBoolean(properties.IsHidden) ?? false,
    updatedAt: epochMillisToDate(properties.LastUpdateTime),
  };
}

/** Maps a `RequestAttachments` value; undefined when it cannot be read. */
export function mapRequestAttachments(value: unknown): SmaxAttachmentSnapshot[] | undefined {
  const result = readAttachmentEntries(value);
  if (!result.readable) return undefined;
  return result.entries.map(mapAttachmentEntry).filter((snapshot): snapshot is SmaxAttachmentSnapshot => snapshot !== undefined);
}

export function serializeAttachmentEntries(entries: RequestAttachmentEntry[]): string {
  return JSON.stringify({ complexTypeProperties: entries });
}

/** Builds the entry that links an uploaded file to a Request, with the members Waldur writes. */
export function newAttachmentEntry(file: SmaxUploadedFile, creator: string): RequestAttachmentEntry {
  const properties: RequestAttachmentEntry['properties'] = {
    id: file.guid,
    file_name: file.name,
    file_extension: fileExtension(file.name),
    size: file.size,
    mime_type: file.contentType,
    Creator: creator,
  };
  if (file.lastModified !== undefined) properties.LastUpdateTime = file.lastModified;
  return { properties };
}

/**
 * Reads the response to an upload: one file description, or a list of them from servers
 * that return a list for every upload. Raises Error when it names no stored file.
 */
export function mapUpload(body: unknown, fallback: { name: string; size: number; contentType: string }): SmaxUploadedFile {
  const json = (Array.isArray(body) ? body[0] : body) as SmaxUploadJson | undefined;
  if (typeof json !== 'object' || json === null) throw new Error('the upload response is not a JSON object');
  if (json.success === false) throw new Error(`the upload response reports success: false (${JSON.stringify(json).slice(0, 200)})`);
  const guid = readString(json.guid) ?? readString(json.id);
  if (guid === undefined) throw new Error(`the upload response has no guid (${JSON.stringify(json).slice(0, 200)})`);
  return {
    guid,
    name: readString(json.name) ?? fallback.name,
    size: readNumber(json.contentLength) ?? fallback.size,
    contentType: readString(json.contentType) ?? fallback.contentType,
    lastModified: readNumber(json.lastModified),
  };
}

function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

/** Keeps a full `type/subtype`, else guesses from the extension: some entries carry only `"image"`. */
function normalizeMimeType(value: string | undefined, extension: string | undefined, fileName: string): string {
  const trimmed = value?.trim().toLowerCase();
  if (trimmed && /^[a-z0-9.+-]+\/[a-z0-9.+-]+/.test(trimmed)) return trimmed;
  const guessed = MIME_BY_EXTENSION[(extension ?? fileExtension(fileName)).toLowerCase()];
  return guessed ?? OCTET_STREAM;
}
