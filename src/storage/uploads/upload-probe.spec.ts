import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { SNIFF_BYTES, UploadProbe } from './upload-probe';

async function run(chunks: Buffer[]): Promise<UploadProbe> {
  const uploadProbe = new UploadProbe();
  await pipeline(Readable.from(chunks), uploadProbe, new Writable({ write: (_chunk, _encoding, done) => done() }));
  return uploadProbe;
}

async function probe(chunks: Buffer[]): Promise<boolean> {
  return (await run(chunks)).isText;
}

describe('UploadProbe', () => {
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

  it('keeps the head of a long stream', async () => {
    const chunks = [Buffer.alloc(SNIFF_BYTES - 10, 0x61), Buffer.alloc(100, 0x62)];
    const head = (await run(chunks)).head;
    expect(head.length).toBe(SNIFF_BYTES);
    expect(head.subarray(-10).toString()).toBe('bbbbbbbbbb');
  });

  it('keeps all of a short stream', async () => {
    expect((await run([Buffer.from('ab'), Buffer.from('cd')])).head.toString()).toBe('abcd');
  });
});
