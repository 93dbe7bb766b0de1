import { fromBuffer } from 'file-type';

export const TEXT_MIME_TYPE = 'text/plain';
export const BINARY_MIME_TYPE = 'application/octet-stream';

/**
 * Sniffs the MIME type from the first bytes of a file with `file-type`. Unrecognized
 * text becomes `text/plain` and other unrecognized bytes `application/octet-stream`.
 * The client's claimed type is never used.
 */
export async function detectMimeType(head: Buffer, isText: boolean): Promise<string> {
  const detected = await sniff(head);
  if (detected) return detected;
  return isText ? TEXT_MIME_TYPE : BINARY_MIME_TYPE;
}

async function sniff(head: Buffer): Promise<string | undefined> {
  try {
    return (await fromBuffer(head))?.mime;
  } catch (error) {
    // file-type 16.5 lets "End-Of-Stream" escape when a detector reads past the bytes it
    // was given, for example in a short or truncated file. That means no match.
    if (error instanceof Error && error.message === 'End-Of-Stream') return undefined;
    throw error;
  }
}
