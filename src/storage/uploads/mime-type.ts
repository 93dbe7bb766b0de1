import { fromStream } from 'file-type';

import { FileStorage } from '../file-storage';

export const TEXT_MIME_TYPE = 'text/plain';
export const BINARY_MIME_TYPE = 'application/octet-stream';

/**
 * Sniffs the MIME type of stored bytes with `file-type`, which reads only the first
 * kilobytes it needs. Text that `file-type` does not recognize is `text/plain`; other
 * unrecognized bytes are `application/octet-stream`. The client's claim is never used.
 */
export async function detectMimeType(storage: FileStorage, key: string, isText: boolean): Promise<string> {
  const { stream } = await storage.open(key);
  try {
    const detected = await fromStream(stream);
    if (detected) return detected.mime;
  } finally {
    stream.destroy();
  }
  return isText ? TEXT_MIME_TYPE : BINARY_MIME_TYPE;
}
