import { FrontendMessage, FrontendMessageReader, fatalErrorResponse, queryMessage, syncMessage } from './postgres-wire';

function startupMessage(): Buffer {
  const body = Buffer.from('user\0postgres\0database\0postgres\0\0', 'utf8');
  const message = Buffer.alloc(8 + body.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(196608, 4);
  body.copy(message, 8);
  return message;
}

function packet(code: number, length = 8): Buffer {
  const message = Buffer.alloc(length);
  message.writeInt32BE(length, 0);
  message.writeInt32BE(code, 4);
  return message;
}

function readAll(reader: FrontendMessageReader): FrontendMessage[] {
  const messages: FrontendMessage[] = [];
  for (let message = reader.next(); message; message = reader.next()) messages.push(message);
  return messages;
}

describe('FrontendMessageReader', () => {
  it('splits messages fed one byte at a time', () => {
    const startup = startupMessage();
    const query = queryMessage('SELECT 1');
    const sync = syncMessage();
    const reader = new FrontendMessageReader();
    const messages: FrontendMessage[] = [];

    for (const byte of Buffer.concat([packet(80877103), startup, query, sync])) {
      reader.push(Buffer.from([byte]));
      messages.push(...readAll(reader));
    }

    expect(messages).toEqual([
      { kind: 'encryption-request' },
      { kind: 'startup', bytes: startup },
      { kind: 'typed', type: 0x51, bytes: query },
      { kind: 'typed', type: 0x53, bytes: sync },
    ]);
  });

  it('splits several messages from one chunk', () => {
    const reader = new FrontendMessageReader();
    reader.push(Buffer.concat([startupMessage(), queryMessage('BEGIN'), syncMessage()]));

    expect(readAll(reader).map((message) => message.kind)).toEqual(['startup', 'typed', 'typed']);
  });

  it('recognizes a GSSENC request', () => {
    const reader = new FrontendMessageReader();
    reader.push(packet(80877104));

    expect(readAll(reader)).toEqual([{ kind: 'encryption-request' }]);
  });

  it('recognizes a cancel request', () => {
    const reader = new FrontendMessageReader();
    reader.push(packet(80877102, 16));

    expect(readAll(reader)).toEqual([{ kind: 'cancel-request' }]);
  });

  it('rejects protocol version 2', () => {
    const reader = new FrontendMessageReader();
    reader.push(packet(0x00020000));

    expect(readAll(reader)).toEqual([{ kind: 'invalid', reason: 'unsupported frontend protocol 2.0' }]);
  });

  it('rejects an oversized startup packet', () => {
    const reader = new FrontendMessageReader();
    const header = packet(196608);
    header.writeInt32BE(20_000, 0);
    reader.push(header);

    expect(reader.next()).toEqual({ kind: 'invalid', reason: 'invalid startup packet length 20000' });
  });

  it('rejects a message length below four', () => {
    const reader = new FrontendMessageReader();
    reader.push(startupMessage());
    reader.next();
    reader.push(Buffer.from([0x51, 0, 0, 0, 3]));

    expect(reader.next()).toEqual({ kind: 'invalid', reason: 'invalid length 3 of message type 0x51' });
  });
});

describe('fatalErrorResponse', () => {
  it('encodes severity, code and message fields', () => {
    const response = fatalErrorResponse('53300', 'too many connections');

    expect(response.toString('latin1', 0, 1)).toBe('E');
    expect(response.readInt32BE(1)).toBe(response.length - 1);
    expect(response.subarray(5).toString('utf8')).toBe('SFATAL\0VFATAL\0C53300\0Mtoo many connections\0\0');
  });
});
