import { Logger } from '@nestjs/common';

import { PGlite } from '@electric-sql/pglite';

import { queryMessage, syncMessage } from './postgres-wire';
import { SessionLock } from './session-lock';

/**
 * Ends whatever a departed client left open. A first ROLLBACK ends an explicit or an
 * implicit (extended-protocol) transaction. When an error made the server skip messages
 * until Sync, the first ROLLBACK is skipped, so Sync ends the skipping and the second
 * ROLLBACK ends the failed transaction block.
 */
const RESET_MESSAGES = Buffer.concat([queryMessage('ROLLBACK'), syncMessage(), queryMessage('ROLLBACK')]);

/**
 * PGlite's one backend session, shared by every client connection of the socket server.
 *
 * A client runs one unit of protocol messages at a time (up to and including a Sync,
 * a Query or a Flush) while holding the session lock. It keeps the lock after the unit
 * while PostgreSQL reports a transaction block, open or failed, or after a Flush, which
 * leaves an extended-protocol exchange half done. So no other client's messages land in
 * its transaction or between its Bind and Execute.
 */
export class PGliteSession<Owner> {
  private readonly logger = new Logger('EmbeddedDatabase');
  private readonly lock = new SessionLock<Owner>();

  constructor(private readonly db: PGlite) {}

  /**
   * Runs `unit` for `owner` once the session is free, passing PostgreSQL's output to
   * `onData` (a view into WASM memory, valid only during the call). Returns false if
   * the owner withdrew while waiting. `midExchange` keeps the lock after the unit.
   */
  async run(owner: Owner, unit: Uint8Array, midExchange: boolean, onData: (chunk: Uint8Array) => void): Promise<boolean> {
    if (!(await this.lock.acquire(owner))) return false;
    try {
      await this.db.runExclusive(() => this.db.execProtocolRawStream(unit, { onRawData: onData }));
      if (!midExchange && !this.db.isInTransaction()) this.lock.release(owner);
    } catch (error) {
      await this.detach(owner);
      throw error;
    }
    return true;
  }

  /** Removes `owner` from the queue. Its pending `run` then returns false. */
  withdraw(owner: Owner): void {
    this.lock.withdraw(owner);
  }

  /** Rolls back what `owner` left open and frees the session, for a client that went away. */
  async detach(owner: Owner): Promise<void> {
    this.lock.withdraw(owner);
    if (this.lock.holder !== owner) return;
    try {
      // Raw messages rather than `db.exec`, because `exec` cannot send the bare Sync. The
      // output is dropped: the client is gone.
      await this.db.runExclusive(() => this.db.execProtocolRawStream(RESET_MESSAGES, { onRawData: () => undefined }));
    } catch (error) {
      this.logger.error({ err: error }, 'Rolling back a closed connection of the embedded database failed');
    } finally {
      this.lock.release(owner);
    }
  }
}
