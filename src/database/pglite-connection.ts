import { Socket } from 'node:net';

import { Logger } from '@nestjs/common';

import { PGliteSession } from './pglite-session';
import { FrontendMessageReader, MessageType, fatalErrorResponse } from './postgres-wire';

/** How long a client may keep its end of the socket open after the server ended its own. */
const END_GRACE_MS = 5_000;

/**
 * Messages that PGlite runs in one go, and whether the client's exchange goes on after
 * them; or the client's Terminate.
 */
type Unit = { bytes: Buffer; midExchange: boolean } | 'terminate';

/**
 * One client of the embedded database socket. It splits the client's bytes into protocol
 * messages, groups them into units that end at Sync, Query or Flush (the startup message
 * is a unit of its own), and runs the units in order on the shared PGlite session.
 */
export class PGliteConnection {
  private readonly logger = new Logger('EmbeddedDatabase');
  private readonly reader = new FrontendMessageReader();
  private readonly units: Unit[] = [];
  private partialUnit: Buffer[] = [];
  private running: Promise<void> | undefined;
  private inputEnded = false;
  private closing = false;
  /** Settles once the socket is closed and anything the client left open is rolled back. */
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly session: PGliteSession<PGliteConnection>,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A client may leave with a reset. The 'close' event that follows does the cleanup.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(this.shutdown())));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.inputEnded) return;
    this.reader.push(chunk);
    for (let message = this.reader.next(); message; message = this.reader.next()) {
      switch (message.kind) {
        case 'encryption-request':
          this.socket.write('N');
          break;
        case 'cancel-request':
          // PGlite runs each unit to completion, so there is nothing to cancel.
          endSocket(this.socket);
          this.abandon();
          return;
        case 'invalid':
          endSocket(this.socket, fatalErrorResponse('08P01', message.reason));
          this.abandon();
          return;
        case 'startup':
          this.units.push({ bytes: message.bytes, midExchange: false });
          break;
        case 'typed':
          if (message.type === MessageType.terminate) {
            // Messages after the last Sync are dropped with the connection.
            this.units.push('terminate');
            this.inputEnded = true;
            break;
          }
          this.partialUnit.push(message.bytes);
          if (message.type === MessageType.sync || message.type === MessageType.query || message.type === MessageType.flush) {
            this.units.push({ bytes: Buffer.concat(this.partialUnit), midExchange: message.type === MessageType.flush });
            this.partialUnit = [];
          }
          break;
      }
      if (this.inputEnded) break;
    }
    this.running ??= this.runUnits().finally(() => (this.running = undefined));
  }

  private async runUnits(): Promise<void> {
    for (let unit = this.units.shift(); unit && !this.closing; unit = this.units.shift()) {
      if (unit === 'terminate') {
        endSocket(this.socket);
        return;
      }

      const output: Buffer[] = [];
      try {
        await this.session.run(this, unit.bytes, unit.midExchange, (chunk) => output.push(Buffer.from(chunk)));
      } catch (error) {
        this.logger.error(
          { err: error, clientPort: this.socket.remotePort },
          'The embedded database failed to run a request, so its connection is closed',
        );
        endSocket(this.socket, fatalErrorResponse('XX000', 'the embedded database failed to run the request'));
        this.abandon();
        return;
      }
      this.send(output);
    }
  }

  private send(output: Buffer[]): void {
    if (output.length === 0 || !this.socket.writable) return;
    this.socket.cork();
    for (const chunk of output) this.socket.write(chunk);
    this.socket.uncork();
  }

  /** Stops reading and running units. The socket's 'close' event finishes the cleanup. */
  private abandon(): void {
    this.inputEnded = true;
    this.closing = true;
    this.units.length = 0;
    this.session.withdraw(this);
  }

  private async shutdown(): Promise<void> {
    this.abandon();
    await this.running;
    // Never rejects: `detach` logs its own failure.
    await this.session.detach(this);
  }
}

/**
 * Sends `data`, if any, and closes the server's end of `socket`. A client that keeps its
 * own end open is cut off after a grace period, so it cannot hold `stop()` up.
 */
export function endSocket(socket: Socket, data?: Buffer): void {
  socket.setTimeout(END_GRACE_MS, () => socket.destroy());
  if (data) socket.end(data);
  else socket.end();
}
