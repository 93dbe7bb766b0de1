/**
 * Framing of the PostgreSQL frontend/backend protocol 3.0, as far as a server in front
 * of PGlite needs it: splitting the bytes a client sends into messages, and encoding
 * an ErrorResponse.
 */

/** Request codes of the length-prefixed packets a client may send before its startup message. */
const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
const PROTOCOL_MAJOR_VERSION = 3;

/** PostgreSQL's own limit on the startup packet (`MAX_STARTUP_PACKET_LENGTH` in `pqcomm.h`). */
const MAX_STARTUP_LENGTH = 10_000;
/** 1 GiB. A longer length means the stream is out of step rather than a real message. */
const MAX_MESSAGE_LENGTH = 0x40000000;

/** Type bytes of the frontend messages the server acts on. */
export const MessageType = {
  sync: 0x53, // 'S'
  query: 0x51, // 'Q'
  flush: 0x48, // 'H'
  terminate: 0x58, // 'X'
} as const;

export type FrontendMessage =
  /** SSLRequest or GSSENCRequest: the server must reply with one byte, `N` for "not supported". */
  | { kind: 'encryption-request' }
  | { kind: 'cancel-request' }
  | { kind: 'startup'; bytes: Buffer }
  /** A typed message: `type` byte, int32 length, body. */
  | { kind: 'typed'; type: number; bytes: Buffer }
  | { kind: 'invalid'; reason: string };

/**
 * Splits a client's byte stream into protocol messages. The packets before and including
 * the startup message have no type byte, and every message after it starts with one.
 */
export class FrontendMessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** Returns the next complete message, or undefined until more bytes arrive. */
  next(): FrontendMessage | undefined {
    return this.started ? this.nextTyped() : this.nextUntyped();
  }

  private nextUntyped(): FrontendMessage | undefined {
    if (this.buffer.length < 8) return undefined;
    const length = this.buffer.readInt32BE(0);
    const code = this.buffer.readInt32BE(4);
    if (length < 8 || length > MAX_STARTUP_LENGTH) {
      return { kind: 'invalid', reason: `invalid startup packet length ${length}` };
    }
    if (this.buffer.length < length) return undefined;

    const bytes = this.take(length);
    if (length === 8 && (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE)) {
      return { kind: 'encryption-request' };
    }
    if (code === CANCEL_REQUEST_CODE) return { kind: 'cancel-request' };
    if (code >>> 16 !== PROTOCOL_MAJOR_VERSION) {
      return { kind: 'invalid', reason: `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}` };
    }
    this.started = true;
    return { kind: 'startup', bytes };
  }

  private nextTyped(): FrontendMessage | undefined {
    if (this.buffer.length < 5) return undefined;
    const type = this.buffer[0];
    const length = this.buffer.readInt32BE(1);
    if (length < 4 || length > MAX_MESSAGE_LENGTH) {
      return { kind: 'invalid', reason: `invalid length ${length} of message type 0x${type.toString(16)}` };
    }
    if (this.buffer.length < 1 + length) return undefined;
    return { kind: 'typed', type, bytes: this.take(1 + length) };
  }

  private take(length: number): Buffer {
    const bytes = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return bytes;
  }
}

/** Encodes a FATAL ErrorResponse with the given SQLSTATE code and message. */
export function fatalErrorResponse(sqlState: string, message: string): Buffer {
  const fields = Buffer.concat([
    errorField('S', 'FATAL'),
    errorField('V', 'FATAL'),
    errorField('C', sqlState),
    errorField('M', message),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

function errorField(code: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(code, 'ascii'), Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

/** Encodes a simple Query message. */
export function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header[0] = MessageType.query;
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

/** Encodes a Sync message. */
export function syncMessage(): Buffer {
  const message = Buffer.alloc(5);
  message[0] = MessageType.sync;
  message.writeInt32BE(4, 1);
  return message;
}
