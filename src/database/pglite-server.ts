import { AddressInfo, Server, Socket, createServer } from 'node:net';

import { PGlite } from '@electric-sql/pglite';

import { PGliteConnection, endSocket } from './pglite-connection';
import { PGliteSession } from './pglite-session';
import { fatalErrorResponse } from './postgres-wire';

/**
 * Serves one PGlite instance to ordinary PostgreSQL clients on 127.0.0.1. PGlite has a
 * single backend session, so the clients take turns on it: see `PGliteSession`.
 *
 * Replaces pglite-socket's server (0.2.17), whose queue runs each protocol message on its
 * own and so interleaves one client's Parse/Bind/Execute/Sync with another's transaction.
 */
export class PGliteServer {
  private readonly session: PGliteSession<PGliteConnection>;
  private readonly connections = new Set<PGliteConnection>();
  private readonly rejectedSockets = new Set<Socket>();
  private server: Server | undefined;
  private listeningPort = 0;

  constructor(
    db: PGlite,
    private readonly maxConnections: number,
  ) {
    this.session = new PGliteSession(db);
  }

  /** The TCP port the OS chose in `start()`. */
  get port(): number {
    return this.listeningPort;
  }

  /** The number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('The embedded database server is already started');
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listeningPort = (server.address() as AddressInfo).port;
  }

  /** Closes every client connection, rolling back open transactions, then the listener. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    const connections = [...this.connections];
    for (const connection of connections) connection.destroy();
    for (const socket of this.rejectedSockets) socket.destroy();
    await Promise.all(connections.map((connection) => connection.closed));
    await listenerClosed;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    if (!this.server) {
      socket.destroy();
      return;
    }
    if (this.connections.size >= this.maxConnections) {
      this.reject(socket);
      return;
    }
    const connection = new PGliteConnection(socket, this.session);
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
  }

  private reject(socket: Socket): void {
    this.rejectedSockets.add(socket);
    socket.once('close', () => this.rejectedSockets.delete(socket));
    endSocket(
      socket,
      fatalErrorResponse('53300', `too many connections: the embedded database accepts at most ${this.maxConnections}`),
    );
  }
}
