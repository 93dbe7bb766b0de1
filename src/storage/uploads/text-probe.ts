import { Transform, TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

/**
 * Passes bytes through unchanged while checking whether they read as text: valid UTF-8
 * with no NUL byte. The check runs over the whole stream, chunk boundaries included.
 */
export class TextProbe extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private text = true;

  /** Whether every byte seen so far forms valid UTF-8 text without NUL bytes; final after 'end'. */
  get isText(): boolean {
    return this.text;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
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
