/**
 * Parser for `multipart/form-data` bodies (RFC 7578). Written for the fake
 * because the platform's FormData parser rejects the RFC 5987 `filename*=`
 * form that some HTTP clients send for non-ASCII file names.
 */

export interface MultipartPart {
  name: string;
  /** File name from `filename*=UTF-8''...` when present, else from `filename="..."` (raw UTF-8). */
  fileName?: string;
  contentType?: string;
  headers: Record<string, string>;
  data: Buffer;
}

export class MultipartError extends Error {}

/** Reads the `boundary` parameter of a `multipart/form-data` Content-Type; raises MultipartError otherwise. */
export function multipartBoundary(contentType: string | undefined): string {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    throw new MultipartError(`Expected Content-Type multipart/form-data, got ${JSON.stringify(contentType ?? '')}.`);
  }
  const boundary = readParameters(contentType).boundary;
  if (!boundary) {
    throw new MultipartError('The multipart/form-data Content-Type has no boundary parameter.');
  }
  return boundary;
}

/** Reads `; key=value` and `; key="quoted value"` parameters; keys are lower-cased. */
function readParameters(header: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  const pattern = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const match of header.matchAll(pattern)) {
    let value = match[2].trim();
    if (value.startsWith('"')) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    parameters[match[1].toLowerCase()] = value;
  }
  return parameters;
}

/** Decodes an RFC 5987 extended value such as `UTF-8''na%C3%AFve.txt`. */
function decodeExtendedValue(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(value);
  if (!match) {
    return undefined;
  }
  const bytes = Buffer.from(match[2].replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return match[1].toLowerCase() === 'utf-8' ? bytes.toString('utf8') : bytes.toString('latin1');
}

function parsePartHeaders(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return headers;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) {
    throw new MultipartError('The multipart body does not contain its boundary.');
  }
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') {
      return parts;
    }
    if (body.subarray(position, position + 2).toString() !== '\r\n') {
      throw new MultipartError('A multipart boundary is not followed by CRLF.');
    }
    const headerEnd = body.indexOf('\r\n\r\n', position + 2);
    if (headerEnd < 0) {
      throw new MultipartError('A multipart part has no end of headers.');
    }
    const headers = parsePartHeaders(body.subarray(position + 2, headerEnd));
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) {
      throw new MultipartError('The multipart body ends without its closing boundary.');
    }
    const disposition = headers['content-disposition'] ?? '';
    if (!/^form-data\s*(;|$)/i.test(disposition)) {
      throw new MultipartError('A multipart part has no "Content-Disposition: form-data" header.');
    }
    const parameters = readParameters(disposition);
    const extended = parameters['filename*'] === undefined ? undefined : decodeExtendedValue(parameters['filename*']);
    parts.push({
      name: parameters.name ?? '',
      fileName: extended ?? parameters.filename,
      contentType: headers['content-type'],
      headers,
      data: Buffer.from(body.subarray(headerEnd + 4, next)),
    });
    position = next + 2;
  }
}
