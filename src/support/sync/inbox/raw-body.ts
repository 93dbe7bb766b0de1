import type { IncomingMessage, ServerResponse } from 'node:http';

import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** A request whose exact body bytes were kept by `captureRawBody`. */
export interface RequestWithRawBody extends IncomingMessage {
  rawBody?: Buffer;
}

/**
 * Body-parser `verify` hook that keeps the exact bytes of a parsed body on
 * `request.rawBody`, because webhook signatures are computed over the bytes as sent,
 * not over re-serialized JSON. `setupApp` passes it to the JSON and urlencoded parsers.
 * It keeps a reference to the buffer the parser read anyway, so no copy is made.
 */
export function captureRawBody(request: IncomingMessage, _response: ServerResponse, buffer: Buffer): void {
  (request as RequestWithRawBody).rawBody = buffer;
}

/**
 * Returns the raw body of a request: the bytes kept by `captureRawBody`, or, when no
 * parser consumed the stream (a content type none of them handles), the stream read to
 * the end, up to `limitBytes`. An empty body is an empty buffer.
 */
export async function readRawBody(request: RequestWithRawBody, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
  if (request.rawBody) return request.rawBody;
  if (request.readableEnded || (request as { _body?: boolean })._body) return Buffer.alloc(0);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limitBytes) throw new RawBodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  const body = Buffer.concat(chunks);
  request.rawBody = body;
  return body;
}

export class RawBodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Injects the exact body bytes kept by `captureRawBody` (an empty buffer when there was
 * no body). For content types the app's parsers do not handle, use `readRawBody` instead.
 */
export const RawBody = createParamDecorator((_: unknown, context: ExecutionContext): Buffer => {
  const request = context.switchToHttp().getRequest<RequestWithRawBody>();
  return request.rawBody ?? Buffer.alloc(0);
});
