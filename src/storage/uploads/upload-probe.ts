import { Transform, TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

/** Bytes kept from the start of an upload for MIME sniffing. */
export const SNIFF_BYTES = 256 * 1024;

/**
 * Passes bytes through unchanged while keeping the first `SNIFF_BYTES` of them and
 * checking whether the whole stream reads as text: valid UTF-8 with no NUL byte.
 */
export class UploadProbe extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private text = true;

  /** Whether every byte seen so far forms valid UTF-8 text without NUL bytes; final after 'end'. */
  get isText(): boolean {
    return this.text;
  }

  /** The first `SNIFF_BYTES` bytes, or all of them for a shorter stream. */
  get head(): Buffer {
    return Buffer.concat(this.headChunks, this.headLength);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.headLength < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    if (this.text) this.text = !chunk.includes(0) && this.decodes(chunk, true);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.text) this.text = this.decodes(Buffer.alloc(0), false);
    callback();
  }

  private decodes(chunk: Buffer, more: boolean): boolean {
    try {
      this.decoder.decode(chunk, { stream: more });
      return true;
    } catch {
      return false;
    }
  }
}
