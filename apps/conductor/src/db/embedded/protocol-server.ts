import { createServer, type Server, type Socket } from 'node:net';
import { Mutex } from 'async-mutex';
import { errorMessage } from '../../error-message.js';
import { type ConnectionHost, ServerConnection } from './server-connection.js';
import { BackendTracker, errorResponse, simpleQuery } from './wire.js';

/** The single database session every connection shares: PGlite, seen through its raw protocol. */
export interface ProtocolEngine {
  /** Runs whole frontend messages; `onData` receives the backend's answer as it is produced. */
  exec(messages: Uint8Array, onData: (chunk: Uint8Array) => void): Promise<void>;
}

/** Options of {@link ProtocolServer}. */
export interface ProtocolServerOptions {
  engine: ProtocolEngine;
  /** The only database and role the engine has (PGlite's are both `postgres`). */
  database: string;
  user: string;
  /** ParameterStatus values reported at startup (`server_version`, `TimeZone`, ...). */
  parameters: Readonly<Record<string, string>>;
  /**
   * A connection that keeps the session inside a transaction (or halfway through an extended-protocol
   * exchange) and sends nothing for this long is ended and its transaction rolled back: it would block
   * every other connection. Milliseconds; default 60,000.
   */
  idleInTransactionTimeoutMs?: number;
  /** Connections beyond this are refused (`53300`). Default 64. */
  maxConnections?: number;
  /** Told of a failure of the engine itself (after which every connection is refused). */
  onEngineFailure?: (error: unknown) => void;
}

/**
 * A PostgreSQL-protocol server over one PGlite session, so the conductor talks to its embedded database
 * with the same client (`pg`) and SQL as to PostgreSQL.
 *
 * PGlite is a single session, so connections take turns: a connection owns the session from its first
 * message until the engine answers ReadyForQuery with status `I` (idle) at the end of what it sent — a
 * whole simple query, a whole extended-protocol exchange up to its Sync, or a whole transaction from
 * BEGIN to COMMIT/ROLLBACK. Others wait in arrival order (a FIFO mutex), so statements of different
 * connections never interleave inside one another's transaction. Each connection's startup settings
 * (`-c search_path=...`) are applied whenever the session passes to a connection with other settings.
 * What a client changes itself (SET, named prepared statements, temporary tables) is session state,
 * shared by all connections: clients should use unnamed statements, as node-postgres and Kysely do.
 */
export class ProtocolServer {
  readonly #options: Required<Omit<ProtocolServerOptions, 'onEngineFailure'>> &
    Pick<ProtocolServerOptions, 'onEngineFailure'>;
  readonly #session = new Mutex();
  readonly #connections = new Set<ServerConnection>();
  readonly #server: Server;
  /** The settings the session has now, as a key (see `settingsKey`): none at first. */
  #sessionSettings = settingsKey(new Map());
  #engineFailure: unknown;
  #waiting = 0;

  constructor(options: ProtocolServerOptions) {
    this.#options = { idleInTransactionTimeoutMs: 60_000, maxConnections: 64, ...options };
    this.#server = createServer((socket) => this.#accept(socket));
  }

  /** Listens on a unix socket path, or on `{ host, port }` (port 0 picks one). */
  listen(where: string | { host: string; port: number }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      const done = () => {
        this.#server.off('error', reject);
        resolve();
      };
      if (typeof where === 'string') this.#server.listen(where, done);
      else this.#server.listen(where.port, where.host, done);
    });
  }

  /** The TCP port, when listening on one. */
  get port(): number | undefined {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Connections waiting for their turn at the session (another one holds it). */
  get waitingCount(): number {
    return this.#waiting;
  }

  /**
   * Runs messages of the server's own (maintenance) between the connections' turns; rejects with the
   * engine's error message if it answered one.
   */
  async runExclusive(messages: Uint8Array): Promise<void> {
    const release = await this.#session.acquire();
    try {
      const tracker = new BackendTracker();
      await this.#host.exec(messages, (chunk) => tracker.push(chunk));
      if (tracker.firstError !== undefined) throw new Error(tracker.firstError);
    } finally {
      release();
    }
  }

  /**
   * Stops accepting, ends every connection (rolling back what they left open) and waits until the
   * session is free, so the engine can then be closed safely.
   */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#connections].map((connection) => connection.terminate()));
    await this.#session.waitForUnlock();
    await closed;
  }

  #accept(socket: Socket): void {
    if (this.#engineFailure !== undefined || this.#connections.size >= this.#options.maxConnections) {
      const [code, text] =
        this.#engineFailure !== undefined
          ? ['57P03', `the embedded database failed: ${errorMessage(this.#engineFailure)}`]
          : ['53300', 'sorry, too many clients already'];
      socket.end(errorResponse('FATAL', code, text));
      return;
    }
    const connection = new ServerConnection(socket, this.#host);
    this.#connections.add(connection);
    socket.once('close', () => this.#connections.delete(connection));
  }

  /** What connections may do to the shared session and server. */
  readonly #host: ConnectionHost = {
    options: () => this.#options,
    acquire: async () => {
      this.#waiting++;
      try {
        return await this.#session.acquire();
      } finally {
        this.#waiting--;
      }
    },
    exec: async (messages, onData) => {
      try {
        await this.#options.engine.exec(messages, onData);
      } catch (error) {
        this.#engineFailure ??= error;
        this.#options.onEngineFailure?.(error);
        for (const connection of this.#connections) connection.fail(error);
        throw error;
      }
    },
    applySettings: async (settings) => {
      const key = settingsKey(settings);
      if (key === this.#sessionSettings) return undefined;
      const statements = ['RESET ALL', ...[...settings].map(([name, value]) => setConfig(name, value))];
      const tracker = new BackendTracker();
      await this.#host.exec(simpleQuery(statements.join('; ')), (chunk) => tracker.push(chunk));
      // The statements run as one implicit transaction: a refused setting rolls back the RESET ALL too,
      // leaving the session as it was.
      if (tracker.firstError === undefined) this.#sessionSettings = key;
      return tracker.firstError;
    },
  };
}

function settingsKey(settings: ReadonlyMap<string, string>): string {
  return JSON.stringify([...settings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function setConfig(name: string, value: string): string {
  return `SELECT pg_catalog.set_config(${literal(name)}, ${literal(value)}, false)`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
