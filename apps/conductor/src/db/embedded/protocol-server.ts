import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Mutex } from 'async-mutex';
import {
  authenticationOk,
  BackendTracker,
  backendKeyData,
  CANCEL_REQUEST,
  errorResponse,
  FrontendFramer,
  GSSENC_REQUEST,
  PROTOCOL_3,
  ProtocolViolation,
  parameterStatus,
  readyForQuery,
  SSL_REQUEST,
  SYNC,
  settingsFromOptions,
  simpleQuery,
  startupParameters,
  syncMessage,
  TERMINATE,
  type TypedMessage,
} from './wire.js';

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

/** Startup parameters that are not settings (the rest are, as in PostgreSQL). */
const NOT_SETTINGS = new Set(['user', 'database', 'options', 'replication', 'client_encoding']);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

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
  readonly #connections = new Set<Connection>();
  readonly #server: Server;
  /** The settings the session has now, as a key (see `settingsKey`). */
  #sessionSettings = '';
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
          ? ['57P03', `the embedded database failed: ${describe(this.#engineFailure)}`]
          : ['53300', 'sorry, too many clients already'];
      socket.end(errorResponse('FATAL', code, text));
      return;
    }
    const connection = new Connection(socket, this.#host);
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
      // A failed setting leaves the session as RESET ALL made it, which is what the key '' stands for.
      this.#sessionSettings = tracker.firstError === undefined ? key : '';
      return tracker.firstError;
    },
  };
}

interface ConnectionHost {
  options(): ProtocolServerOptions & { idleInTransactionTimeoutMs: number };
  acquire(): Promise<() => void>;
  exec(messages: Uint8Array, onData: (chunk: Uint8Array) => void): Promise<void>;
  /** Gives the session these settings; resolves with the error message if one was refused. */
  applySettings(settings: ReadonlyMap<string, string>): Promise<string | undefined>;
}

/** One client connection, and its turn at the session. */
class Connection {
  readonly #socket: Socket;
  readonly #host: ConnectionHost;
  readonly #framer = new FrontendFramer();
  readonly #tracker = new BackendTracker();
  /** Messages received and not yet run. */
  #pending: TypedMessage[] = [];
  #settings: ReadonlyMap<string, string> = new Map();
  #started = false;
  #closed = false;
  /** Releases the session while this connection holds it. */
  #release: (() => void) | undefined;
  #pumping: Promise<void> | undefined;
  /** Whether this connection ran anything since it took the session (else there is nothing to roll back). */
  #used = false;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, host: ConnectionHost) {
    this.#socket = socket;
    this.#host = host;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#closed = true;
      this.#pending = [];
      void this.#pump();
    });
  }

  /** Ends the connection; resolves once whatever it held is rolled back and the session released. */
  async terminate(): Promise<void> {
    this.#closed = true;
    this.#pending = [];
    this.#socket.destroy();
    await this.#pump();
  }

  /** The engine failed: nothing more can run. */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#socket.end(errorResponse('FATAL', '57P03', `the embedded database failed: ${describe(error)}`));
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    let messages: ReturnType<FrontendFramer['push']>;
    try {
      messages = this.#framer.push(chunk);
    } catch (error) {
      this.#refuse('08P01', describe(error));
      return;
    }
    for (const message of messages) {
      if (message.kind === 'untyped') {
        this.#receiveUntyped(message.code, message.body);
      } else if (message.type === TERMINATE) {
        this.#closed = true;
        this.#socket.end();
      } else {
        this.#pending.push(message);
      }
      if (this.#closed) break;
    }
    void this.#pump();
  }

  #receiveUntyped(code: number, body: Buffer): void {
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      // No encryption on a private local socket: the client goes on in plain text.
      this.#socket.write('N');
    } else if (code === CANCEL_REQUEST) {
      // There is no separate backend to interrupt: a running statement finishes.
      this.#closed = true;
      this.#socket.end();
    } else if (code === PROTOCOL_3 && !this.#started) {
      this.#pumping = this.#start(startupParameters(body)).catch((error: unknown) => {
        this.#refuse('57P03', `the embedded database failed: ${describe(error)}`);
      });
    } else {
      this.#refuse('0A000', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
    }
  }

  async #start(parameters: Map<string, string>): Promise<void> {
    const { database, user, parameters: reported } = this.#host.options();
    const asked = { database: parameters.get('database') ?? user, user: parameters.get('user') ?? '' };
    if (asked.user !== user) return this.#refuse('28000', `role "${asked.user}" does not exist`);
    if (asked.database !== database)
      return this.#refuse('3D000', `database "${asked.database}" does not exist`);
    let settings: Map<string, string>;
    try {
      settings = settingsFromOptions(parameters.get('options') ?? '');
    } catch (error) {
      return this.#refuse('42704', describe(error));
    }
    for (const [name, value] of parameters) if (!NOT_SETTINGS.has(name)) settings.set(name, value);
    const badName = [...settings.keys()].find((name) => !SETTING_NAME.test(name));
    if (badName !== undefined)
      return this.#refuse('42704', `invalid setting name ${JSON.stringify(badName)}`);
    this.#settings = settings;
    // Tried at once, so a bad setting fails the connection as PostgreSQL does, not its first query.
    const release = await this.#host.acquire();
    let refused: string | undefined;
    try {
      refused = await this.#host.applySettings(settings);
    } finally {
      release();
    }
    if (refused !== undefined) return this.#refuse('22023', refused);
    this.#started = true;
    this.#framer.startSession();
    const greeting = [authenticationOk()];
    for (const [name, value] of Object.entries(reported)) greeting.push(parameterStatus(name, value));
    greeting.push(backendKeyData(randomInt(1, 2 ** 31 - 1), randomInt(1, 2 ** 31 - 1)), readyForQuery('I'));
    this.#write(Buffer.concat(greeting));
  }

  /** Runs what is pending, one turn at the session at a time; only one pump runs per connection. */
  #pump(): Promise<void> {
    const previous = this.#pumping ?? Promise.resolve();
    const next = previous.then(() => this.#drain());
    this.#pumping = next.catch(() => undefined);
    return this.#pumping;
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#closed && this.#started && this.#pending.length > 0) {
        clearTimeout(this.#idleTimer);
        if (!this.#release) {
          this.#release = await this.#host.acquire();
          this.#used = false;
          if (this.#closed) break;
          const refused = await this.#host.applySettings(this.#settings);
          if (refused !== undefined) {
            this.#refuse('22023', refused);
            break;
          }
        }
        const batch = this.#pending;
        this.#pending = [];
        this.#tracker.reset();
        this.#used = true;
        const endsExchange = isExchangeEnd(batch[batch.length - 1] as TypedMessage);
        await this.#host.exec(Buffer.concat(batch.map((message) => message.bytes)), (chunk) => {
          this.#tracker.push(chunk);
          this.#write(Buffer.from(chunk));
        });
        if (endsExchange && this.#tracker.lastStatus === 'I' && this.#pending.length === 0) this.#free();
      }
      if (this.#release && this.#closed && this.#used) await this.#rollBack();
      else if (this.#release && this.#closed) this.#free();
      else if (this.#release) this.#watchIdleTransaction();
    } catch (error) {
      // The engine failed (every connection is told): the session must not stay held by this one.
      this.#free();
      throw error;
    }
  }

  /** The client left in a transaction or mid-exchange: end the exchange and roll back, then free the session. */
  async #rollBack(): Promise<void> {
    clearTimeout(this.#idleTimer);
    try {
      await this.#host.exec(Buffer.concat([syncMessage(), simpleQuery('ROLLBACK')]), () => undefined);
    } finally {
      this.#free();
    }
  }

  #watchIdleTransaction(): void {
    const { idleInTransactionTimeoutMs } = this.#host.options();
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#refuse('25P03', 'terminating connection due to idle-in-transaction timeout');
    }, idleInTransactionTimeoutMs);
    this.#idleTimer.unref();
  }

  #free(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  #write(bytes: Buffer): void {
    if (!this.#socket.destroyed) this.#socket.write(bytes);
  }

  /** Sends a FATAL error and ends the connection (rolling back whatever it held). */
  #refuse(code: string, text: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#socket.end(errorResponse('FATAL', code, text));
    void this.#pump();
  }
}

/** Whether a batch ending with this message ends an exchange (so a ReadyForQuery answers it). */
function isExchangeEnd(message: TypedMessage): boolean {
  // Simple Query ('Q') and Sync ('S') are answered by ReadyForQuery; FunctionCall ('F') too.
  return message.type === 0x51 || message.type === SYNC || message.type === 0x46;
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

function describe(error: unknown): string {
  if (error instanceof ProtocolViolation) return error.message;
  return error instanceof Error ? error.message : String(error);
}
