import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { errorMessage } from '../../error-message.js';
import {
  authenticationOk,
  BackendTracker,
  backendKeyData,
  CANCEL_REQUEST,
  errorResponse,
  FrontendFramer,
  GSSENC_REQUEST,
  PROTOCOL_3,
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

/** Startup parameters that are not settings (the rest are, as in PostgreSQL). */
const NOT_SETTINGS = new Set(['user', 'database', 'options', 'replication', 'client_encoding']);
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** What a connection may do to the server's shared session. */
export interface ConnectionHost {
  /** The server's options a connection needs. */
  options(): {
    database: string;
    user: string;
    parameters: Readonly<Record<string, string>>;
    idleInTransactionTimeoutMs: number;
  };
  acquire(): Promise<() => void>;
  exec(messages: Uint8Array, onData: (chunk: Uint8Array) => void): Promise<void>;
  /** Gives the session these settings; resolves with the error message if one was refused. */
  applySettings(settings: ReadonlyMap<string, string>): Promise<string | undefined>;
}

/**
 * One client connection of the protocol server: its startup, then its turns at the shared session
 * (see `ProtocolServer` for the rules).
 */
export class ServerConnection {
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
    this.#socket.end(errorResponse('FATAL', '57P03', `the embedded database failed: ${errorMessage(error)}`));
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    let messages: ReturnType<FrontendFramer['push']>;
    try {
      messages = this.#framer.push(chunk);
    } catch (error) {
      this.#refuse('08P01', errorMessage(error));
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
        this.#refuse('57P03', `the embedded database failed: ${errorMessage(error)}`);
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
      return this.#refuse('42704', errorMessage(error));
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
