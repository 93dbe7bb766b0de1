import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { TextProbe } from './text-probe';

async function probe(chunks: Buffer[]): Promise<boolean> {
  const textProbe = new TextProbe();
  await pipeline(Readable.from(chunks), textProbe, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return textProbe.isText;
}

describe('TextProbe', () => {
  it('accepts UTF-8 split inside a character', async () => {
    const bytes = Buffer.from('naïve 😀', 'utf8');
    expect(await probe([bytes.subarray(0, 3), bytes.subarray(3, 8), bytes.subarray(8)])).toBe(true);
  });

  it('rejects a NUL byte', async () => {
    expect(await probe([Buffer.from('a\u0000b')])).toBe(false);
  });

  it('rejects invalid UTF-8', async () => {
    expect(await probe([Buffer.from([0xc3, 0x28])])).toBe(false);
  });

  it('rejects a truncated final character', async () => {
    expect(await probe([Buffer.from([0x61, 0xe2, 0x82])])).toBe(false);
  });
});
