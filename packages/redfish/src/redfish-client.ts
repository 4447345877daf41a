import type { Dispatcher } from 'undici';
import type { RedfishClock } from './clock.js';
import type { ResolvedEndpoint } from './endpoint.js';
import { RedfishAuthError, RedfishError, RequestAborted, UnexpectedRedfishResponse } from './errors.js';
import { exchange, type RawReply } from './http-exchange.js';
import { bmcMessageOf, extendedInfoOf, type RedfishResource } from './messages.js';
import type { RequestLimiter } from './request-limiter.js';
import { type AuthCallOptions, type AuthState, SessionAuth } from './session-auth.js';
import { TaskMonitor } from './task-monitor.js';

/** HTTP methods a Redfish client uses. */
export type RedfishMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Options of one request. */
export interface RedfishRequestOptions {
  /** Abandons the request (or its wait for a slot); it then rejects with `RequestAborted`. */
  readonly signal?: AbortSignal;
  /** How long the exchange may take once it has a slot; default: the connector's `requestTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. `If-Match`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a request answered (any status below 400). */
export interface RedfishReply {
  readonly status: number;
  /** Response headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The `Location` header, as a path when it is on the BMC's own origin. */
  readonly location: string | undefined;
  /** The JSON body, if it was an object. */
  readonly body: RedfishResource | undefined;
}

/** How a client authenticates right now: not yet, without credentials, HTTP Basic, or a session. */
export type RedfishAuthMode = AuthState['kind'];

/** What a client shares with the others of its connector. */
export interface ClientContext {
  readonly endpoint: ResolvedEndpoint;
  readonly pool: Dispatcher;
  readonly limiter: RequestLimiter;
  readonly clock: RedfishClock;
  readonly requestTimeoutMs: number;
  readonly credentialsHint: string | undefined;
  readonly count: (event: 'login' | 'relogin' | 'basic-fallback' | 'logout') => void;
}

const BASE_HEADERS = {
  accept: 'application/json',
  'odata-version': '4.0',
  // As sushy asks: a compressed answer changes ETags on some BMCs, and is not worth it on a LAN.
  'accept-encoding': 'identity',
};

function checkTimeout(timeoutMs: number): number {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new RangeError(`Redfish request timeout must be a positive number of ms, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

/**
 * A Redfish client for one BMC and one set of credentials; get it from `RedfishConnector.client`. It
 * logs in as sushy does (a session, else HTTP Basic), logs in again on a 401, sends every request through
 * the connector's per-BMC and overall bounds over the BMC's kept-alive connection pool, and turns error
 * answers into `RedfishError`s carrying the BMC's `@Message.ExtendedInfo` text.
 */
export class RedfishClient {
  readonly #context: ClientContext;
  readonly #auth: SessionAuth;
  #root: Promise<RedfishResource> | undefined;

  /** @internal Use `RedfishConnector.client`. */
  constructor(context: ClientContext) {
    this.#context = context;
    const { endpoint } = context;
    this.#auth = new SessionAuth({
      origin: endpoint.origin,
      username: endpoint.username,
      password: endpoint.password,
      credentialsHint: context.credentialsHint,
      count: context.count,
      send: (method, path, body, headers, options) => this.#send(method, path, body, headers, options),
    });
  }

  /** The BMC's origin, e.g. `https://10.0.0.5`. */
  get address(): string {
    return this.#context.endpoint.origin;
  }

  /** The user this client logs in as. */
  get username(): string | undefined {
    return this.#context.endpoint.username;
  }

  /** How requests authenticate now: `none` before the first request, then `session`, `basic` or `anonymous`. */
  get authMode(): RedfishAuthMode {
    return this.#auth.state.kind;
  }

  /** The service root (`GET /redfish/v1/`, without credentials), read once and kept. */
  serviceRoot(options: RedfishRequestOptions = {}): Promise<RedfishResource> {
    this.#root ??= this.#send('GET', '/redfish/v1/', undefined, {}, options)
      .then((raw) =>
        this.#resourceOf('GET', '/redfish/v1/', this.#interpret('GET', '/redfish/v1/', raw, 'none')),
      )
      .catch((error: unknown) => {
        this.#root = undefined;
        throw error;
      });
    return this.#root;
  }

  /** Logs in now (a session, else Basic) rather than on the first request. */
  async login(options: RedfishRequestOptions = {}): Promise<RedfishAuthMode> {
    return (await this.#auth.ensure(options)).kind;
  }

  /** Reads a resource; rejects unless the BMC answers 200 with a JSON object. */
  async get(path: string, options: RedfishRequestOptions = {}): Promise<RedfishResource> {
    return this.#resourceOf('GET', path, await this.request('GET', path, undefined, options));
  }

  /** Posts a JSON body (an action, or a new member of a collection). */
  post(path: string, body: unknown, options: RedfishRequestOptions = {}): Promise<RedfishReply> {
    return this.request('POST', path, body, options);
  }

  /** Patches a resource. */
  patch(path: string, body: unknown, options: RedfishRequestOptions = {}): Promise<RedfishReply> {
    return this.request('PATCH', path, body, options);
  }

  /** Deletes a resource. */
  delete(path: string, options: RedfishRequestOptions = {}): Promise<RedfishReply> {
    return this.request('DELETE', path, undefined, options);
  }

  /**
   * One authenticated request. Resolves with any status below 400; rejects with `RedfishAuthError`
   * (401), `RedfishError` (other error statuses), `BmcUnreachable`, `RequestAborted` or
   * `UnexpectedRedfishResponse`.
   */
  async request(
    method: RedfishMethod,
    path: string,
    body?: unknown,
    options: RedfishRequestOptions = {},
  ): Promise<RedfishReply> {
    const target = this.#pathOf(path);
    let auth = await this.#auth.ensure(options);
    let raw = await this.#send(method, target, body, this.#headers(auth, options), options);
    if (raw.status === 401 && auth.kind === 'session') {
      // The session expired or was deleted: log in again once, as sushy does, and retry.
      auth = await this.#auth.refresh(auth, options);
      raw = await this.#send(method, target, body, this.#headers(auth, options), options);
    }
    return this.#interpret(method, target, raw, auth.kind);
  }

  /**
   * The DMTF task monitor of an accepted (202) request — its `Location` — or of a monitor URI kept
   * from earlier. Rejects with `UnexpectedRedfishResponse` for a 202 without `Location`.
   */
  taskMonitor(accepted: RedfishReply | string): TaskMonitor {
    if (typeof accepted === 'string')
      return new TaskMonitor(this, this.#pathOf(accepted), undefined, this.#context.clock);
    if (!accepted.location) {
      throw new UnexpectedRedfishResponse(
        `The BMC at ${this.address} accepted a request (HTTP ${accepted.status}) but gave no Location to follow its task`,
      );
    }
    return new TaskMonitor(this, this.#pathOf(accepted.location), accepted, this.#context.clock);
  }

  /** Deletes the session on the BMC, if there is one; the next request logs in again. */
  logout(options: RedfishRequestOptions = {}): Promise<void> {
    return this.#auth.logout(options);
  }

  #headers(auth: AuthState, options: RedfishRequestOptions): Record<string, string> {
    return { ...options.headers, ...this.#auth.headersFor(auth) };
  }

  #pathOf(pathOrUrl: string): string {
    if (pathOrUrl.startsWith('/')) return pathOrUrl;
    let url: URL;
    try {
      url = new URL(pathOrUrl);
    } catch {
      throw new TypeError(`Redfish path ${JSON.stringify(pathOrUrl)} is neither a path nor a URL`);
    }
    if (url.origin !== this.address) {
      throw new UnexpectedRedfishResponse(
        `The BMC at ${this.address} pointed to ${pathOrUrl}, on another origin; this client only talks to ${this.address}`,
      );
    }
    return `${url.pathname}${url.search}`;
  }

  #send(
    method: RedfishMethod,
    path: string,
    body: unknown,
    headers: Readonly<Record<string, string>>,
    options: AuthCallOptions,
  ): Promise<RawReply> {
    const { endpoint, pool, limiter } = this.#context;
    const timeoutMs = checkTimeout(options.timeoutMs ?? this.#context.requestTimeoutMs);
    const allHeaders: Record<string, string> = { ...BASE_HEADERS, ...headers };
    if (body !== undefined) allHeaders['content-type'] = 'application/json';
    const request = {
      method,
      path,
      headers: allHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs,
      signal: options.signal,
    };
    return limiter
      .run(endpoint.origin, () => exchange(pool, endpoint.origin, request), options.signal)
      .catch((error: unknown) => {
        // Aborted while waiting for a slot: the limiter gives the signal's reason as it is.
        if (options.signal?.aborted && !(error instanceof RequestAborted)) {
          throw new RequestAborted(`Redfish ${method} ${path} on the BMC at ${endpoint.origin}`, {
            cause: error,
          });
        }
        throw error;
      });
  }

  #interpret(method: string, path: string, raw: RawReply, auth: AuthState['kind']): RedfishReply {
    const parsed = this.#parse(method, path, raw);
    if (raw.status >= 400) {
      const info = extendedInfoOf(parsed);
      const message = bmcMessageOf(parsed);
      if (raw.status === 401 && auth !== 'none') {
        // Basic credentials cannot be renewed, and a fresh session was refused too: the user must act.
        if (auth === 'basic' || auth === 'session') this.#auth.reset();
        throw new RedfishAuthError(
          this.address,
          method,
          path,
          this.username,
          message,
          info,
          this.#context.credentialsHint,
        );
      }
      throw new RedfishError(this.address, method, path, raw.status, message, info);
    }
    const location = raw.headers.location;
    return {
      status: raw.status,
      headers: raw.headers,
      location: location ? this.#relativeLocation(location) : undefined,
      body:
        typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
          ? (parsed as RedfishResource)
          : undefined,
    };
  }

  #relativeLocation(location: string): string {
    try {
      const url = new URL(location, this.address);
      return url.origin === this.address ? `${url.pathname}${url.search}` : location;
    } catch {
      return location;
    }
  }

  #parse(method: string, path: string, raw: RawReply): unknown {
    if (raw.text.trim() === '') return undefined;
    try {
      return JSON.parse(raw.text) as unknown;
    } catch {
      // An error page in HTML is still an error; only a success needs a readable body.
      if (raw.status >= 400) return undefined;
      throw new UnexpectedRedfishResponse(
        `Redfish ${method} ${path} on the BMC at ${this.address} answered HTTP ${raw.status} with a body that is not JSON`,
      );
    }
  }

  #resourceOf(method: string, path: string, reply: RedfishReply): RedfishResource {
    if (reply.status !== 200 || !reply.body) {
      throw new UnexpectedRedfishResponse(
        `Redfish ${method} ${path} on the BMC at ${this.address} returned ${
          reply.body ? `HTTP ${reply.status}` : 'no JSON resource'
        }`,
      );
    }
    return reply.body;
  }
}
