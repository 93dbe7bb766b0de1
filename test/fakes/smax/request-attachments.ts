import { EmsValue, StoredFile } from './smax-types';

/**
 * Helpers for the Request property `RequestAttachments`: a JSON string of the
 * form `{"complexTypeProperties":[{"properties":{"id":...,"file_name":...}}]}`.
 * Older entries name the file under `name` instead of `file_name`.
 */
export interface AttachmentEntry {
  properties: Record<string, unknown> & { id: string };
}

/** Parses the property value; raises Error with the reason when it is not a valid attachment list. */
export function parseRequestAttachments(value: EmsValue | undefined): AttachmentEntry[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  if (typeof value !== 'string') {
    throw new Error('RequestAttachments must be a JSON string, not a JSON value.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`RequestAttachments is not valid JSON: ${(error as Error).message}`);
  }
  const list = (parsed as { complexTypeProperties?: unknown } | null)?.complexTypeProperties;
  if (!Array.isArray(list)) {
    throw new Error('RequestAttachments must be an object with a complexTypeProperties list.');
  }
  return list.map((entry: unknown, index) => {
    const properties = (entry as { properties?: unknown } | null)?.properties;
    if (typeof properties !== 'object' || properties === null || typeof (properties as { id?: unknown }).id !== 'string') {
      throw new Error(`RequestAttachments entry ${index} has no properties object with a string id.`);
    }
    return { properties: properties as AttachmentEntry['properties'] };
  });
}

export function serializeRequestAttachments(entries: AttachmentEntry[]): string {
  return JSON.stringify({ complexTypeProperties: entries });
}

/** Returns why the value cannot be stored (bad shape, or an id the file repository lacks), or undefined when it can. */
export function checkRequestAttachments(value: EmsValue, files: ReadonlyMap<string, StoredFile>): string | undefined {
  let entries: AttachmentEntry[];
  try {
    entries = parseRequestAttachments(value);
  } catch (error) {
    return (error as Error).message;
  }
  const missing = entries.map((entry) => entry.properties.id).filter((id) => !files.has(id));
  if (missing.length > 0) {
    return `RequestAttachments refers to files not in the file repository: ${missing.join(', ')}.`;
  }
  return undefined;
}

/** Builds the entry for an uploaded file, with the members Waldur writes and reads. */
export function attachmentEntryFor(file: StoredFile, creatorExternalId: string | undefined): AttachmentEntry {
  const dot = file.name.lastIndexOf('.');
  return {
    properties: {
      id: file.guid,
      file_name: file.name,
      file_extension: dot > 0 ? file.name.slice(dot + 1) : '',
      size: file.content.length,
      mime_type: file.contentType,
      Creator: creatorExternalId ?? '',
      LastUpdateTime: file.lastModified,
      IsHidden: false,
    },
  };
}
