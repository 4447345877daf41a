import { RedfishAuthError, RedfishError } from './errors.js';
import type { RawReply } from './http-exchange.js';
import { bmcMessageOf, extendedInfoOf, odataId } from './messages.js';

/** How requests to a BMC authenticate right now. */
export type AuthState =
  | { readonly kind: 'none' }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly header: string }
  | { readonly kind: 'session'; readonly token: string; readonly uri: string | undefined };

/** Per-call options the login requests inherit from the request that needed them. */
export interface AuthCallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/** What the authenticator needs from its client. */
export interface AuthTransport {
  readonly origin: string;
  readonly username: string | undefined;
  readonly password: string;
  readonly credentialsHint: string | undefined;
  /** Sends one request (through the client's bounds) with exactly these headers added. */
  send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    headers: Readonly<Record<string, string>>,
    options: AuthCallOptions,
  ): Promise<RawReply>;
  /** Counts what happened, for the connector's stats. */
  count(event: 'login' | 'relogin' | 'basic-fallback' | 'logout'): void;
}

/** Where a Redfish service keeps its sessions when its service root does not say (DMTF's default). */
const DEFAULT_SESSIONS_URI = '/redfish/v1/SessionService/Sessions';
const SERVICE_ROOT_URI = '/redfish/v1/';

function parse(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function samePath(origin: string, location: string | undefined): string | undefined {
  if (location === undefined || location === '') return undefined;
  try {
    const url = new URL(location, origin);
    return url.origin === origin ? `${url.pathname}${url.search}` : location;
  } catch {
    return undefined;
  }
}

/**
 * Sessions as sushy's `SessionOrBasicAuth` does them: find the sessions collection from the service root
 * (`Links.Sessions`), `POST` the credentials, and send the `X-Auth-Token` it returns; on a 401 with a
 * session, log in again once and retry. When the BMC has no session service, or refuses to create a
 * session the first time (401/403/404/405, or no token), fall back to HTTP Basic. Logins are shared:
 * concurrent requests that need one wait for the same login.
 */
export class SessionAuth {
  #state: AuthState = { kind: 'none' };
  #pending: Promise<AuthState> | undefined;
  #sessionsUri: string | null | undefined;
  /** Once a session worked, a refused login is an error, not a reason to fall back (as in sushy). */
  #hadSession = false;

  constructor(readonly transport: AuthTransport) {}

  /** The current way of authenticating. */
  get state(): AuthState {
    return this.#state;
  }

  /** The headers that authenticate a request in `state`. */
  headersFor(state: AuthState): Record<string, string> {
    switch (state.kind) {
      case 'basic':
        return { authorization: state.header };
      case 'session':
        return { 'x-auth-token': state.token };
      default:
        return {};
    }
  }

  /** The state to send a request with, logging in first if nobody has yet. */
  ensure(options: AuthCallOptions): Promise<AuthState> {
    if (this.#state.kind !== 'none') return Promise.resolve(this.#state);
    return this.#single(() => this.#login(options, false));
  }

  /**
   * A request sent with `stale` got a 401: log in again (once, whoever asks) and give the new state.
   * Rejects with `RedfishAuthError` when the BMC refuses the credentials.
   */
  refresh(stale: AuthState, options: AuthCallOptions): Promise<AuthState> {
    if (this.#pending) return this.#pending;
    if (this.#state !== stale) return Promise.resolve(this.#state);
    return this.#single(() => this.#login(options, true));
  }

  /** Forgets the way of authenticating, so the next request logs in from scratch. */
  reset(): void {
    this.#state = { kind: 'none' };
    this.#hadSession = false;
  }

  /** Deletes the session on the BMC (best effort) and forgets it. */
  async logout(options: AuthCallOptions = {}): Promise<void> {
    const state = this.#state;
    this.reset();
    if (state.kind !== 'session' || state.uri === undefined) return;
    this.transport.count('logout');
    try {
      await this.transport.send('DELETE', state.uri, undefined, this.headersFor(state), options);
    } catch {
      // The session times out on the BMC by itself; a logout that fails changes nothing for us.
    }
  }

  #single(login: () => Promise<AuthState>): Promise<AuthState> {
    this.#pending ??= login().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #login(options: AuthCallOptions, again: boolean): Promise<AuthState> {
    const { username, password } = this.transport;
    if (username === undefined) return this.#set({ kind: 'anonymous' });
    const sessionsUri = await this.#findSessionsUri(options);
    if (sessionsUri === null) return this.#basic();
    const reply = await this.transport.send(
      'POST',
      sessionsUri,
      { UserName: username, Password: password },
      {},
      options,
    );
    const token = reply.headers['x-auth-token'];
    if (reply.status >= 200 && reply.status < 300 && token) {
      this.#hadSession = true;
      this.transport.count(again ? 'relogin' : 'login');
      return this.#set({
        kind: 'session',
        token,
        uri: samePath(this.transport.origin, reply.headers.location),
      });
    }
    const refused = reply.status === 401 || reply.status === 403;
    if (refused && this.#hadSession) {
      // Sessions worked before: the credentials changed, or the account was locked. Start over next time.
      this.reset();
      const body = parse(reply.text);
      throw new RedfishAuthError(
        this.transport.origin,
        'POST',
        sessionsUri,
        username,
        bmcMessageOf(body),
        extendedInfoOf(body),
        this.transport.credentialsHint,
      );
    }
    // A busy or failing BMC: not a reason to give up sessions for good, as sushy would.
    if (reply.status >= 500) throw this.#error('POST', sessionsUri, reply);
    return this.#basic();
  }

  async #findSessionsUri(options: AuthCallOptions): Promise<string | null> {
    if (this.#sessionsUri !== undefined) return this.#sessionsUri;
    const reply = await this.transport.send('GET', SERVICE_ROOT_URI, undefined, {}, options);
    if (reply.status >= 500) throw this.#error('GET', SERVICE_ROOT_URI, reply);
    const root = reply.status === 200 ? parse(reply.text) : undefined;
    const record = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
    const links = record.Links as Record<string, unknown> | undefined;
    const linked = odataId(links?.Sessions);
    // sushy guesses DMTF's path when the root does not link its sessions; without a SessionService at all,
    // there is nothing to guess at.
    this.#sessionsUri =
      linked ?? (odataId(record.SessionService) !== undefined ? DEFAULT_SESSIONS_URI : null);
    return this.#sessionsUri;
  }

  #error(method: string, path: string, reply: RawReply): RedfishError {
    const body = parse(reply.text);
    return new RedfishError(
      this.transport.origin,
      method,
      path,
      reply.status,
      bmcMessageOf(body),
      extendedInfoOf(body),
    );
  }

  #basic(): AuthState {
    const { username, password } = this.transport;
    this.transport.count('basic-fallback');
    const header = `Basic ${Buffer.from(`${username ?? ''}:${password}`, 'utf8').toString('base64')}`;
    return this.#set({ kind: 'basic', header });
  }

  #set(state: AuthState): AuthState {
    this.#state = state;
    return state;
  }
}
