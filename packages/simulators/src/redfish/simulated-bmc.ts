import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BmcHttpHost, handleBmcRequest } from './bmc-http.js';
import {
  checkFailJobs,
  checkJobDuration,
  checkResponseDelay,
  type ResolvedBmcOptions,
} from './bmc-options.js';
import { BmcState } from './bmc-state.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { InvalidBmcOptionError } from './errors.js';
import { type BmcIdentity, identityFor } from './identity.js';
import { type SessionInfo, SessionStore } from './session-store.js';
import type {
  BmcEventMap,
  BmcStats,
  DriveInfo,
  JobInfo,
  PowerState,
  RedfishClock,
  RedfishLogger,
  VolumeInfo,
} from './types.js';

/** How long the BMC keeps an idle connection open (it says so in `Keep-Alive: timeout=`). */
const KEEP_ALIVE_TIMEOUT_MS = 60_000;

/**
 * One simulated iDRAC, listening on its own `127.0.0.1` port and serving `/redfish/v1/...`.
 * Create it with `RedfishFleet.addBmc`.
 */
export class SimulatedBmc {
  /** Base URL, `http://127.0.0.1:<port>`; resources live under `${url}/redfish/v1`. */
  readonly url: string;
  /** Emits `'power'` (`'On' | 'Off'`, reset type) whenever the system's power changes. */
  readonly events: EventEmitter<BmcEventMap>;
  /** Service tag, system UUID and iDRAC MAC this BMC reports. */
  readonly identity: BmcIdentity;
  private readonly state: BmcState;
  private readonly gate: ConcurrencyGate;
  private readonly sessionStore: SessionStore | undefined;
  private connections = 0;
  private unreachable = false;
  private serverError = false;
  private responseDelayMs: number;
  private credentials: { username: string; password: string };
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly options: ResolvedBmcOptions,
    private readonly server: Server,
    port: number,
    state: BmcState,
    gate: ConcurrencyGate,
    sessionStore: SessionStore | undefined,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.state = state;
    this.gate = gate;
    this.sessionStore = sessionStore;
    server.on('connection', () => {
      this.connections += 1;
    });
    this.events = state.events;
    this.identity = identityFor(options.id);
    this.responseDelayMs = options.responseDelayMs;
    this.credentials = { username: options.username, password: options.password };
  }

  /** Starts the BMC's server on an ephemeral loopback port. */
  static async start(
    options: ResolvedBmcOptions,
    clock: RedfishClock,
    logger: RedfishLogger | undefined,
  ): Promise<SimulatedBmc> {
    const state = new BmcState(clock, options.drives, options.powerState, {
      jobDurationMs: options.jobDurationMs,
      failJobs: options.failJobs,
      failedJobState: options.failedJobState,
    });
    const gate = new ConcurrencyGate(options.maxConcurrentRequests);
    const sessions = options.sessionService
      ? new SessionStore(clock, options.sessionTimeoutSeconds * 1000)
      : undefined;
    let bmc: SimulatedBmc | undefined;
    const server = createServer((request, response) => {
      if (bmc === undefined) {
        request.socket.destroy();
        return;
      }
      handleBmcRequest(bmc.httpHost(clock, logger), request, response);
    });
    // Keep idle connections a minute (Node's default is 5 s), so a client's kept-alive connection outlives
    // a busy machine's pauses and the connection counts in `stats` only change when the client's do.
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    bmc = new SimulatedBmc(options, server, port, state, gate, sessions);
    logger?.info({ bmc: options.id, url: bmc.url }, 'simulated iDRAC listening');
    return bmc;
  }

  private httpHost(clock: RedfishClock, logger: RedfishLogger | undefined): BmcHttpHost {
    return {
      id: this.id,
      gate: this.gate,
      state: this.state,
      identity: this.identity,
      clock,
      logger,
      username: this.username,
      password: this.password,
      sessions: this.sessionStore,
      unreachable: this.unreachable,
      serverError: this.serverError,
      responseDelayMs: this.responseDelayMs,
    };
  }

  /** The BMC's id within its fleet. */
  get id(): string {
    return this.options.id;
  }

  /** HTTP Basic user name it accepts. */
  get username(): string {
    return this.credentials.username;
  }

  /** HTTP Basic password it accepts. */
  get password(): string {
    return this.credentials.password;
  }

  /**
   * Changes the user's name or password, as an operator rotating credentials would. Sessions already
   * open stay valid until they expire or are deleted, as on an iDRAC.
   */
  setCredentials(credentials: { username?: string; password?: string }): void {
    const next = { ...this.credentials, ...credentials };
    for (const [option, value] of Object.entries(next)) {
      if (typeof value !== 'string' || value === '') {
        throw new InvalidBmcOptionError(option, `expected a non-empty string, got ${JSON.stringify(value)}`);
      }
    }
    this.credentials = next;
  }

  /** Current `PowerState` of the system. */
  get powerState(): PowerState {
    return this.state.powerState;
  }

  /**
   * Presses the system's power button, as someone at the rack would: the power flips (emitting `'power'`
   * with `PushPowerButton`) without any Redfish request, so a client finds it changed on its next read.
   */
  pushPowerButton(): void {
    this.state.reset('PushPowerButton');
  }

  /** Physical drives behind the RAID controller. */
  get drives(): readonly DriveInfo[] {
    return this.state.drives;
  }

  /** Volumes that exist now (jobs that ended on the clock have been applied). */
  get volumes(): readonly VolumeInfo[] {
    return this.state.volumes();
  }

  /** Every job in the iDRAC job queue as it stands now, oldest first. */
  get jobs(): readonly JobInfo[] {
    return this.state.jobs();
  }

  /** Request counters since start (or the last {@link resetStats}). */
  get stats(): BmcStats {
    return {
      ...this.gate.stats,
      connections: this.connections,
      sessionsCreated: this.sessionStore?.created ?? 0,
    };
  }

  /** Zeroes {@link stats} (but `sessionsCreated`, which counts since start). */
  resetStats(): void {
    this.gate.resetStats();
    this.connections = 0;
  }

  /** Sessions open now (none without a SessionService). */
  get sessions(): readonly SessionInfo[] {
    return this.sessionStore?.list() ?? [];
  }

  /** Ends every session, as a BMC reset or a session timeout would: clients must log in again. */
  expireSessions(): void {
    this.sessionStore?.clear();
  }

  /** From now on new jobs end `Failed` with this message; `false` lets them complete. */
  setFailJobs(message: string | false): void {
    this.state.behaviour.failJobs = checkFailJobs(message);
  }

  /** Duration (on the injected clock) of jobs created from now on. */
  setJobDuration(ms: number): void {
    this.state.behaviour.jobDurationMs = checkJobDuration(ms);
  }

  /** Real-time delay before each response. */
  setResponseDelay(ms: number): void {
    this.responseDelayMs = checkResponseDelay(ms);
  }

  /** While `true`, every connection is dropped without an answer. */
  setUnreachable(unreachable: boolean): void {
    this.unreachable = unreachable;
    if (unreachable) this.server.closeAllConnections();
  }

  /** While `true`, every request is answered 500 with a Redfish `InternalError` body. */
  setServerError(serverError: boolean): void {
    this.serverError = serverError;
  }

  /** Stops listening and drops open connections. Safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closed;
  }
}
