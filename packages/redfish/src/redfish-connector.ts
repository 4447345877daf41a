import { BmcPools } from './bmc-pools.js';
import { type RedfishClock, systemClock } from './clock.js';
import { type RedfishEndpoint, type ResolvedEndpoint, resolveEndpoint } from './endpoint.js';
import { RedfishConnectorClosed } from './errors.js';
import { RedfishClient } from './redfish-client.js';
import { RequestLimiter, type RequestLimiterStats } from './request-limiter.js';

/** Options of `new RedfishConnector(...)`; every field has a default. */
export interface RedfishConnectorOptions {
  /** Requests in flight to one BMC at most (and connections kept to it). Default 1. */
  readonly maxRequestsPerBmc?: number;
  /** Requests in flight to all BMCs together at most. Default 20. */
  readonly maxConcurrentRequests?: number;
  /** How long one request may take once it has a slot (connect, headers, body), in ms. Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** How long an idle connection is kept when the BMC does not say (`Keep-Alive: timeout=`), in ms. Default 30 000. */
  readonly keepAliveTimeoutMs?: number;
  /** Clients (sessions) kept at most; the least recently used one is logged out beyond. Default 1000. */
  readonly maxClients?: number;
  /** Time for task-monitor waits; a test passes a `ManualClock`. Default: the system clock. */
  readonly clock?: RedfishClock;
  /** Added to a `RedfishAuthError`'s message: what the user should check, e.g. where the credentials come from. */
  readonly credentialsHint?: string;
  /** Told about logins (debug), logins again after a 401 (info) and falls back to Basic (warn); pino fits. */
  readonly logger?: RedfishLogger;
}

/** The logger a connector reports its sessions to (a pino logger, or anything with these methods). */
export interface RedfishLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

const EVENT_LOGS = {
  login: ['debug', 'logged in to the BMC with a Redfish session'],
  relogin: ['info', 'the BMC refused the session (expired or deleted); logged in again'],
  'basic-fallback': ['warn', 'the BMC has no Redfish session service or refused a session: using HTTP Basic'],
  logout: ['debug', 'logging out of the BMC'],
} as const;

/** What a connector has done since it was made. */
export interface RedfishConnectorStats extends RequestLimiterStats {
  /** Clients (one per BMC and credentials) kept now. */
  readonly clients: number;
  /** Connection pools (one per BMC) open now. */
  readonly pools: number;
  /** TCP connections opened to BMCs. */
  readonly connectionsOpened: number;
  /** Sessions created by a first login. */
  readonly logins: number;
  /** Sessions created again after a 401. */
  readonly relogins: number;
  /** Logins that ended with HTTP Basic instead of a session. */
  readonly basicFallbacks: number;
  /** Sessions deleted on their BMC. */
  readonly logouts: number;
}

interface ClientEntry {
  readonly client: RedfishClient;
  readonly endpoint: ResolvedEndpoint;
  /** Its key in `#byGiven`, if it was found by one. */
  given: string | undefined;
}

/**
 * An endpoint as its caller spelled it, but for the password (compared, not kept in a key): the same
 * spelling always resolves to the same session, so it finds the client without resolving again.
 * Undefined for TLS options given as objects.
 */
function givenKey(endpoint: RedfishEndpoint): string | undefined {
  if (endpoint.tls !== undefined) return undefined;
  const { verify } = endpoint;
  const verifyKey = typeof verify === 'string' ? `path:${verify}` : String(verify);
  return `${endpoint.address}\u0000${endpoint.username ?? ''}\u0000${verifyKey}`;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`RedfishConnector: ${name} must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

function positiveMs(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`RedfishConnector: ${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

/**
 * Everything one process (or one driver) needs to talk Redfish to many BMCs: one kept-alive connection
 * pool per BMC, the request bounds (per BMC and overall), and one client — one session — per BMC and
 * credentials, kept for reuse so that a request to a BMC already logged in costs one HTTP request.
 */
export class RedfishConnector {
  /** The request bounds every client of this connector goes through. */
  readonly limiter: RequestLimiter;
  readonly requestTimeoutMs: number;
  readonly maxClients: number;
  readonly #pools: BmcPools;
  readonly #clock: RedfishClock;
  readonly #credentialsHint: string | undefined;
  readonly #logger: RedfishLogger | undefined;
  /** In least recently used order: a Map keeps insertion order, and a use re-inserts. */
  readonly #clients = new Map<string, ClientEntry>();
  /** The clients by `givenKey`: a sweep asks for each BMC's client as often as it reads the BMC. */
  readonly #byGiven = new Map<string, ClientEntry>();
  readonly #counts = { login: 0, relogin: 0, 'basic-fallback': 0, logout: 0 };
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  constructor(options: RedfishConnectorOptions = {}) {
    const maxPerBmc = positiveInteger('maxRequestsPerBmc', options.maxRequestsPerBmc ?? 1);
    this.limiter = new RequestLimiter({
      maxPerBmc,
      maxTotal: positiveInteger('maxConcurrentRequests', options.maxConcurrentRequests ?? 20),
    });
    this.requestTimeoutMs = positiveMs('requestTimeoutMs', options.requestTimeoutMs ?? 30_000);
    this.maxClients = positiveInteger('maxClients', options.maxClients ?? 1000);
    this.#pools = new BmcPools({
      connections: maxPerBmc,
      keepAliveTimeoutMs: positiveMs('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? 30_000),
    });
    this.#clock = options.clock ?? systemClock;
    this.#credentialsHint = options.credentialsHint;
    this.#logger = options.logger;
  }

  /**
   * The client of a BMC with these credentials: the same one every time (its session is reused) until
   * `maxClients` newer ones push it out. Throws `InvalidRedfishEndpoint` for an address that is not http(s),
   * `RedfishConnectorClosed` after `close()`.
   */
  client(endpoint: RedfishEndpoint): RedfishClient {
    if (this.#closed) throw new RedfishConnectorClosed();
    // Resolving (a URL to parse, the credentials to hash) costs more than the request it serves, on
    // every read of a fleet's BMCs: an endpoint spelled as before finds its client without it.
    const given = givenKey(endpoint);
    const known = given === undefined ? undefined : this.#byGiven.get(given);
    if (known && known.endpoint.password === (endpoint.password ?? '')) return this.#touch(known).client;
    const resolved = resolveEndpoint(endpoint);
    const existing = this.#clients.get(resolved.sessionKey);
    if (existing) {
      if (given !== undefined) this.#remember(given, existing);
      return this.#touch(existing).client;
    }
    const client = new RedfishClient({
      endpoint: resolved,
      pool: this.#pools.acquire(resolved),
      limiter: this.limiter,
      clock: this.#clock,
      requestTimeoutMs: this.requestTimeoutMs,
      credentialsHint: this.#credentialsHint,
      count: (event) => {
        this.#counts[event] += 1;
        const [level, message] = EVENT_LOGS[event];
        this.#logger?.[level]({ bmc: resolved.origin, username: resolved.username }, message);
      },
    });
    const entry: ClientEntry = { client, endpoint: resolved, given: undefined };
    this.#clients.set(resolved.sessionKey, entry);
    if (given !== undefined) this.#remember(given, entry);
    while (this.#clients.size > this.maxClients) {
      const [oldestKey, oldest] = this.#clients.entries().next().value as [string, ClientEntry];
      this.#clients.delete(oldestKey);
      this.#forget(oldest);
      this.#retire(oldest);
    }
    return client;
  }

  /** Marks a client as the most recently used one (a Map keeps insertion order). */
  #touch(entry: ClientEntry): ClientEntry {
    this.#clients.delete(entry.endpoint.sessionKey);
    this.#clients.set(entry.endpoint.sessionKey, entry);
    return entry;
  }

  #remember(given: string, entry: ClientEntry): void {
    const previous = this.#byGiven.get(given);
    if (previous === entry) return;
    // The spelling's earlier client (other credentials) stays kept, but is found by resolving now.
    if (previous) previous.given = undefined;
    if (entry.given !== undefined) this.#byGiven.delete(entry.given);
    entry.given = given;
    this.#byGiven.set(given, entry);
  }

  #forget(entry: ClientEntry): void {
    if (entry.given !== undefined) this.#byGiven.delete(entry.given);
    entry.given = undefined;
  }

  /** Counters for diagnostics and tests. */
  get stats(): RedfishConnectorStats {
    return {
      ...this.limiter.stats,
      clients: this.#clients.size,
      pools: this.#pools.size,
      connectionsOpened: this.#pools.connectionsOpened,
      logins: this.#counts.login,
      relogins: this.#counts.relogin,
      basicFallbacks: this.#counts['basic-fallback'],
      logouts: this.#counts.logout,
    };
  }

  /**
   * Logs every session out (best effort: each logout waits at most `logoutTimeoutMs`, default the
   * request timeout but no more than 5 s) and closes every connection.
   */
  async close(options: { logoutTimeoutMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const entries = [...this.#clients.values()];
    this.#clients.clear();
    this.#byGiven.clear();
    const timeoutMs = options.logoutTimeoutMs ?? Math.min(this.requestTimeoutMs, 5_000);
    await Promise.all(entries.map((entry) => entry.client.logout({ timeoutMs })));
    await Promise.all(this.#closing);
    await this.#pools.close();
  }

  #retire(entry: ClientEntry): void {
    const done = entry.client
      .logout()
      .then(() => this.#pools.release(entry.endpoint))
      .catch(() => undefined)
      .finally(() => this.#closing.delete(done));
    this.#closing.add(done);
  }
}
