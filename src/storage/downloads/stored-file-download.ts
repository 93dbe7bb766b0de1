import { Readable } from 'node:stream';

import { StreamableFile } from '@nestjs/common';

import { attachmentDisposition } from './content-disposition';

/** A stored file ready to be sent: its bytes, size, type and the name the client should save it as. */
export interface FileDownload {
  stream: Readable;
  size: number;
  mimeType: string;
  fileName: string;
}

/** Wraps a download so Nest streams it with `Content-Type`, `Content-Length` and `Content-Disposition`. */
export function toStreamableFile(download: FileDownload): StreamableFile {
  const type = download.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : download.mimeType;
  return new StreamableFile(download.stream, {
    type,
    length: download.size,
    disposition: attachmentDisposition(download.fileName),
  });
}
