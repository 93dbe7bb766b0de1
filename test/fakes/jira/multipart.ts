/**
 * A small `multipart/form-data` parser. It keeps the raw header bytes so the
 * fake can tell a raw UTF-8 `filename="..."` (what Waldur sends) from an RFC
 * 2231 `filename*=utf-8''...`, which Jira Data Center fails on.
 */

export interface MultipartPart {
  name: string;
  filename?: string;
  /** How the file name was written: `raw` for `filename="..."`, `rfc2231` for `filename*=`. */
  filenameEncoding?: 'raw' | 'rfc2231';
  contentType?: string;
  data: Buffer;
}

/** Splits a header value like `form-data; name="file"; filename="a;b.txt"` into its parameters. */
function parseParameters(value: string): Map<string, string> {
  const parameters = new Map<string, string>();
  let index = value.indexOf(';');
  while (index !== -1 && index < value.length) {
    index++;
    while (value[index] === ' ' || value[index] === '\t') {
      index++;
    }
    const equals = value.indexOf('=', index);
    if (equals === -1) {
      break;
    }
    const key = value.slice(index, equals).trim().toLowerCase();
    index = equals + 1;
    let parsed = '';
    if (value[index] === '"') {
      index++;
      while (index < value.length && value[index] !== '"') {
        if (value[index] === '\\' && index + 1 < value.length) {
          index++;
        }
        parsed += value[index];
        index++;
      }
      index = value.indexOf(';', index);
    } else {
      const end = value.indexOf(';', index);
      parsed = (end === -1 ? value.slice(index) : value.slice(index, end)).trim();
      index = end;
    }
    parameters.set(key, parsed);
  }
  return parameters;
}

/** Decodes an RFC 2231 / RFC 5987 extended value such as `utf-8''%C3%A4.txt`. */
function decodeExtendedValue(value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) {
    return value;
  }
  const bytes = Buffer.from(match[2].replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  const charset = match[1].toLowerCase();
  return bytes.toString(charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8');
}

/** Returns the boundary of a multipart content type, or null when the type is not multipart. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) {
    return null;
  }
  return parseParameters(contentType).get('boundary') ?? null;
}

function parsePart(raw: Buffer): MultipartPart | null {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd === -1) {
    return null;
  }
  // Header bytes are read as UTF-8 so raw non-ASCII file names survive.
  const headerLines = raw.subarray(0, headerEnd).toString('utf8').split('\r\n');
  const part: MultipartPart = { name: '', data: raw.subarray(headerEnd + 4) };
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon === -1) {
      continue;
    }
    const headerName = line.slice(0, colon).trim().toLowerCase();
    const headerValue = line.slice(colon + 1).trim();
    if (headerName === 'content-type') {
      part.contentType = headerValue;
    } else if (headerName === 'content-disposition') {
      const parameters = parseParameters(headerValue);
      part.name = parameters.get('name') ?? '';
      const extended = parameters.get('filename*');
      if (extended !== undefined) {
        part.filename = decodeExtendedValue(extended);
        part.filenameEncoding = 'rfc2231';
      } else if (parameters.has('filename')) {
        part.filename = parameters.get('filename');
        part.filenameEncoding = 'raw';
      }
    }
  }
  return part;
}

/** Parses a multipart body, or returns null when the body is not well-formed multipart. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start === -1) {
    return null;
  }
  while (true) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') {
      return parts;
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), afterDelimiter);
    if (next === -1) {
      return null;
    }
    const part = parsePart(body.subarray(afterDelimiter + 2, next));
    if (part) {
      parts.push(part);
    }
    start = next + 2;
  }
}

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
};

/** Picks the MIME type Jira would store: the part's own type, else one guessed from the extension. */
export function mimeTypeOf(part: MultipartPart): string {
  const declared = part.contentType?.split(';')[0].trim();
  if (declared && declared !== 'application/octet-stream') {
    return declared;
  }
  const extension = part.filename?.split('.').pop()?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}
