import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { AgentApiServer } from './agent-api-server.js';
import type { CommandMachine } from './command-catalog.js';
import { type CommandFaults, CommandRunner } from './command-runner.js';
import {
  heartbeatErrorIntervalMs,
  heartbeatIntervalMs,
  lookupRetryDelayMs,
  MIN_HEARTBEAT_INTERVAL_MS,
} from './intervals.js';
import { IronicClient, type LookupContent } from './ironic-client.js';
import { SessionTimers, type TimerToken } from './session-timers.js';
import { systemLogsArchive } from './system-logs.js';
import type { IpaClock, IpaCommandResult, IpaHeartbeatRecord } from './types.js';

/** Heartbeat timeout assumed when a lookup answer lacks a usable one (Ironic's default). */
const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 300;
/** IPA only trusts tokens at least this long. */
const MIN_TOKEN_LENGTH = 32;
/** The ramdisk journal keeps this many lines for `log.collect_system_logs`. */
const JOURNAL_LINES = 500;

/** Everything one boot of the ramdisk needs from its agent and fleet. */
export interface RamdiskSettings {
  readonly nodeUuid: string;
  readonly macs: readonly string[];
  readonly agentVersion: string;
  readonly bootDelayMs: number;
  readonly commandDurationMs: number;
  readonly heartbeatTimeoutSeconds: number | null;
  readonly lookupIntervalMs: number;
  readonly lookupMaxIntervalMs: number;
  readonly ironicUrl: string;
  readonly clock: IpaClock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly dispatcher: Dispatcher;
  readonly requestTimeoutMs: number;
  readonly faults: CommandFaults;
  /** The port the previous boot listened on, reused when free. */
  readonly preferredPort: number | null;
}

/** What the ramdisk reports back to its agent. */
export interface RamdiskObserver {
  lookedUp(outcome: { status: number | null; ok: boolean }): void;
  serving(callbackUrl: string, port: number): void;
  heartbeat(record: IpaHeartbeatRecord): void;
  command(result: IpaCommandResult): void;
  /** The disk now holds this image (prepare_image succeeded). */
  imageWritten(imageId: string): void;
  writtenImageId(): string | null;
  /** A shutdown command ran; the ramdisk has already stopped itself. */
  shutdown(kind: 'poweroff' | 'reboot'): void;
}

/**
 * One boot of the IPA ramdisk, following `IronicPythonAgent.run`: after the boot delay it looks its node
 * up (retrying with IPA's backoff), serves the agent API, then heartbeats until it is stopped.
 */
export class Ramdisk {
  /** The token from this boot's first lookup, if Ironic handed one out. */
  token: string | null = null;
  /** Where the agent API listens, once it does. */
  callbackUrl: string | null = null;
  /** `started_at`: clock seconds when IPA started. */
  startedAtSeconds: number | null = null;
  readonly commands: CommandRunner;

  private readonly abort = new AbortController();
  private readonly client: IronicClient;
  private readonly timers: SessionTimers;
  private readonly journal: string[] = [];
  private server: AgentApiServer | null = null;
  private stopped = false;
  private heartbeatUuid = '';
  private heartbeatTimeoutSeconds = DEFAULT_HEARTBEAT_TIMEOUT_SECONDS;
  private tokenRequired = false;
  private previousHeartbeatAt = 0;
  private nextHeartbeat: { at: number; timer: TimerToken } | null = null;
  private heartbeatInFlight = false;
  private heartbeatForced = false;

  constructor(
    private readonly settings: RamdiskSettings,
    private readonly observer: RamdiskObserver,
  ) {
    this.timers = new SessionTimers(settings.clock);
    this.client = new IronicClient({
      ironicUrl: settings.ironicUrl,
      dispatcher: settings.dispatcher,
      timeoutMs: settings.requestTimeoutMs,
      signal: this.abort.signal,
    });
    const machine: CommandMachine = {
      nodeUuid: settings.nodeUuid,
      get writtenImageId() {
        return observer.writtenImageId();
      },
      writeImage: (imageId) => observer.imageWritten(imageId),
      systemLogs: () =>
        systemLogsArchive('ironic-python-agent.log', `${this.journal.join('\n')}\n`, this.nowSeconds()),
    };
    this.commands = new CommandRunner({
      timers: this.timers,
      commandDurationMs: settings.commandDurationMs,
      machine,
      faults: settings.faults,
      onStarted: (result) => {
        this.log('info', `Executing command ${result.command_name}`);
        observer.command(result);
      },
      onEnded: (result) => {
        this.log('info', `Command ${result.command_name} ended: ${result.command_status}`);
        observer.command(result);
        this.forceHeartbeat();
      },
      onShutdown: (kind) => {
        this.log('info', kind === 'poweroff' ? 'Powering off system' : 'Rebooting system');
        this.stop();
        observer.shutdown(kind);
      },
    });
  }

  /** Starts booting; the agent runs after `bootDelayMs`. */
  start(): void {
    this.after(this.settings.bootDelayMs, () => this.guard(this.run()));
  }

  /** The machine lost the ramdisk: no more requests, timers or answers. Resolves once the port is closed. */
  stop(): Promise<void> {
    this.halt();
    return this.server ? this.server.close() : Promise.resolve();
  }

  /**
   * The agent died while the machine stays up: no more requests, timers or answers, every connection to
   * its API reset; its port stays taken until `stop()`.
   */
  die(): void {
    this.halt();
    this.server?.resetAll();
  }

  private halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort(new Error('the ramdisk stopped'));
    this.timers.cancelAll();
    this.commands.dispose();
  }

  /** IPA's `validate_agent_token`. */
  validateToken(token: string | null): boolean {
    if (!token && this.token && !this.tokenRequired) return true;
    return (token || null) === this.token;
  }

  /** `GET /v1/status`. */
  status(): { started_at: number; version: string } {
    return { started_at: this.startedAtSeconds ?? this.nowSeconds(), version: this.settings.agentVersion };
  }

  private async run(): Promise<void> {
    this.startedAtSeconds = this.nowSeconds();
    this.log('info', `Starting ironic-python-agent version: ${this.settings.agentVersion}`);
    await this.lookup(0);
  }

  private async lookup(attempt: number): Promise<void> {
    const outcome = await this.client.lookup(this.settings.macs, this.settings.nodeUuid);
    if (this.stopped) return;
    this.observer.lookedUp({ status: outcome.status, ok: outcome.ok });
    if (!outcome.ok) {
      const { lookupIntervalMs, lookupMaxIntervalMs, random } = this.settings;
      const delay = lookupRetryDelayMs(attempt, lookupIntervalMs, lookupMaxIntervalMs, random);
      this.log(
        'warn',
        `Failed looking up node with addresses ${this.settings.macs.join(',')}: ${outcome.reason}`,
      );
      this.after(delay, () => this.guard(this.lookup(attempt + 1)));
      return;
    }
    this.processLookup(outcome.content);
    await this.serve();
  }

  /** IPA's `process_lookup_data`. */
  private processLookup({ node, config }: LookupContent): void {
    this.heartbeatUuid = node.uuid;
    this.log('info', `Lookup succeeded, node UUID is ${node.uuid}`);
    const timeout = Number(config.heartbeat_timeout);
    if (this.settings.heartbeatTimeoutSeconds !== null) {
      this.heartbeatTimeoutSeconds = this.settings.heartbeatTimeoutSeconds;
    } else if (Number.isFinite(timeout) && timeout > 0) {
      this.heartbeatTimeoutSeconds = timeout;
    } else {
      this.log('warn', `Lookup gave no usable heartbeat_timeout; using ${DEFAULT_HEARTBEAT_TIMEOUT_SECONDS}`);
    }
    if (config.agent_token_required === true) this.tokenRequired = true;
    const token = config.agent_token;
    if (typeof token === 'string' && token.length >= MIN_TOKEN_LENGTH) {
      this.token = token;
    } else if (token === '******') {
      this.log('warn', 'The agent token has already been retrieved; heartbeats will carry none');
    } else if (token !== undefined && token !== null) {
      this.log('info', 'An invalid token was received.');
    }
  }

  private async serve(): Promise<void> {
    const server = await AgentApiServer.listen(this, this.settings.preferredPort);
    if (this.stopped) {
      await server.close();
      return;
    }
    this.server = server;
    this.callbackUrl = server.url;
    this.log('info', `Started API service on port ${server.port}`);
    this.observer.serving(server.url, server.port);
    // The first heartbeat happens immediately.
    this.scheduleHeartbeat(this.settings.clock.now());
  }

  private scheduleHeartbeat(at: number): void {
    if (this.stopped) return;
    if (this.nextHeartbeat) this.timers.cancel(this.nextHeartbeat.timer);
    const timer = this.timers.schedule(at - this.settings.clock.now(), () => {
      this.nextHeartbeat = null;
      void this.heartbeat();
    });
    this.nextHeartbeat = { at, timer };
  }

  /** A command ended: heartbeat soon, but no sooner than 5 s after the previous one (IPA). */
  private forceHeartbeat(): void {
    if (this.stopped || this.callbackUrl === null) return;
    this.heartbeatForced = true;
    if (this.heartbeatInFlight) return;
    const at = Math.max(this.settings.clock.now(), this.previousHeartbeatAt + MIN_HEARTBEAT_INTERVAL_MS);
    if (!this.nextHeartbeat || at < this.nextHeartbeat.at) this.scheduleHeartbeat(at);
  }

  private async heartbeat(): Promise<void> {
    const { clock, random, agentVersion } = this.settings;
    this.heartbeatInFlight = true;
    const at = clock.now();
    const attempt = await this.client.heartbeat(this.heartbeatUuid, {
      callbackUrl: this.callbackUrl ?? '',
      agentToken: this.token,
      agentVersion,
    });
    this.heartbeatInFlight = false;
    if (this.stopped) return;
    const forcedMeanwhile = this.heartbeatForced;
    let interval: number;
    if (attempt.accepted) {
      this.heartbeatForced = false;
      interval = heartbeatIntervalMs(this.heartbeatTimeoutSeconds, random);
      this.log('debug', 'heartbeat successful');
    } else {
      interval = heartbeatErrorIntervalMs(random);
      this.log('warn', `error sending heartbeat to ${this.settings.ironicUrl}: ${attempt.error}`);
    }
    this.previousHeartbeatAt = clock.now();
    this.observer.heartbeat({ at, ...attempt });
    this.scheduleHeartbeat(this.previousHeartbeatAt + interval);
    // A command that ended while a failed heartbeat was in flight still wants its early heartbeat.
    if (forcedMeanwhile && !attempt.accepted) this.forceHeartbeat();
  }

  /** Only the agent API failing to bind can reject here; a real IPA would exit and be restarted. */
  private guard(work: Promise<void>): void {
    work.catch((error: unknown) => {
      this.log(
        'error',
        `ironic-python-agent failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private after(delayMs: number, callback: () => void): void {
    if (!this.stopped) this.timers.schedule(delayMs, callback);
  }

  private nowSeconds(): number {
    return this.settings.clock.now() / 1000;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.settings.logger[level](message);
    this.journal.push(
      `${new Date(this.settings.clock.now()).toISOString()} ${level.toUpperCase()} ${message}`,
    );
    if (this.journal.length > JOURNAL_LINES) this.journal.shift();
  }
}
