import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { KNOWN_COMMANDS } from './command-catalog.js';
import { InvalidIpaAgentOption, IpaFleetClosed } from './errors.js';
import { Ramdisk } from './ramdisk.js';
import type {
  IpaAgentEvents,
  IpaAgentState,
  IpaClock,
  IpaCommandResult,
  IpaHeartbeatRecord,
} from './types.js';

/** The fleet-wide environment an agent runs in. */
export interface IpaAgentEnvironment {
  /** Set by the fleet, possibly after the agents were added (`IpaFleet.setIronicUrl`). */
  ironicUrl: string;
  readonly clock: IpaClock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly dispatcher: Dispatcher;
  readonly requestTimeoutMs: number;
}

/** An agent's own settings, validated by the fleet. */
export interface IpaAgentSettings {
  readonly nodeUuid: string;
  readonly macs: readonly string[];
  readonly bootDelayMs: number;
  readonly commandDurationMs: number;
  readonly agentVersion: string;
  readonly heartbeatTimeoutSeconds: number | null;
  readonly lookupIntervalMs: number;
  readonly lookupMaxIntervalMs: number;
  readonly onPowerOffRequested?: (agent: { readonly nodeUuid: string }) => void;
}

/**
 * One simulated machine with an ironic-python-agent ramdisk. It runs the agent only while powered on
 * into the ramdisk (`powerOn()` / `powerOff()`, or `bindToPower`), or when started directly with
 * `boot()` (fast track). Once `standby.prepare_image` has written an image, power-on boots that image
 * instead (`state === 'instance'`) until `undeploy()`.
 */
export class SimulatedIpaAgent {
  /** `state`, `lookup`, `heartbeat`, `command` and `powerOffRequested` events. */
  readonly events = new EventEmitter<IpaAgentEvents>();
  /** The node this machine is. */
  readonly nodeUuid: string;
  /** Its NICs' MAC addresses, lower case. */
  readonly macs: readonly string[];

  private currentState: IpaAgentState = 'off';
  private poweredOn = false;
  private closed = false;
  private ramdisk: Ramdisk | null = null;
  private lastRamdisk: Ramdisk | null = null;
  /** The ramdisk of a dead agent, holding its port until the machine is powered off or boots again. */
  private deadRamdisk: Ramdisk | null = null;
  private deployedImageId: string | null = null;
  private port: number | null = null;
  private readonly stopping = new Set<Promise<void>>();
  private readonly hung = new Set<string>();
  private readonly failures = new Map<string, string>();
  private readonly logger: Logger;
  private counters = { lookups: 0, heartbeats: 0, heartbeatFailures: 0 };
  private latestHeartbeat: IpaHeartbeatRecord | null = null;

  /** @internal Use `fleet.addAgent`. */
  constructor(
    private readonly settings: IpaAgentSettings,
    private readonly environment: IpaAgentEnvironment,
  ) {
    this.nodeUuid = settings.nodeUuid;
    this.macs = settings.macs;
    this.logger = environment.logger.child({ nodeUuid: settings.nodeUuid });
  }

  /** Where the machine is: `off`, `booting`, `running`, `dead` or `instance`. */
  get state(): IpaAgentState {
    return this.currentState;
  }

  /** Whether the machine has power (by `powerOn`, a bound power source, or `boot`). */
  get powered(): boolean {
    return this.poweredOn;
  }

  /** The agent API's URL while it is running, else null. */
  get callbackUrl(): string | null {
    return this.ramdisk?.callbackUrl ?? null;
  }

  /** The agent token this boot got from its first lookup, else null. */
  get token(): string | null {
    return this.ramdisk?.token ?? null;
  }

  /** True once an image was written to disk: the next power-on boots it. */
  get deployed(): boolean {
    return this.deployedImageId !== null;
  }

  /** The id of the image on disk, if any. */
  get deployedImage(): string | null {
    return this.deployedImageId;
  }

  /** Lookup requests sent, over all boots. */
  get lookups(): number {
    return this.counters.lookups;
  }

  /** Heartbeats sent, over all boots. */
  get heartbeats(): number {
    return this.counters.heartbeats;
  }

  /** Heartbeats Ironic did not accept with 202 (or that got no answer), over all boots. */
  get heartbeatFailures(): number {
    return this.counters.heartbeatFailures;
  }

  /** The HTTP status of the last heartbeat (null: none yet, or no answer). */
  get lastHeartbeatStatus(): number | null {
    return this.latestHeartbeat?.status ?? null;
  }

  /** The last heartbeat, with its error when not accepted. */
  get lastHeartbeat(): IpaHeartbeatRecord | null {
    return this.latestHeartbeat;
  }

  /** The command results of the current boot (or, when not running, the last one), oldest first. */
  get commands(): IpaCommandResult[] {
    return (this.ramdisk ?? this.lastRamdisk)?.commands.list() ?? [];
  }

  /** Power comes on: the ramdisk boots, or the deployed image when one is on disk. */
  powerOn(): void {
    this.assertOpen();
    if (this.poweredOn) return;
    this.poweredOn = true;
    this.bootFromDisk();
  }

  /** Power goes off: the agent stops at once (server closed, no more heartbeats). */
  powerOff(): void {
    this.assertOpen();
    this.poweredOn = false;
    this.stopRamdisk();
    this.setState('off');
  }

  /** Fast track: start the ramdisk now, whatever is on disk, unless it is already booting or running. */
  boot(): void {
    this.assertOpen();
    if (this.currentState === 'booting' || this.currentState === 'running') return;
    this.poweredOn = true;
    this.startRamdisk();
  }

  /**
   * The agent dies: no more heartbeats, and connections to its API are reset, until the next power cycle
   * or `boot()`. Its port stays taken meanwhile, so no other server can answer at its `callback_url`.
   */
  die(): void {
    if (this.currentState !== 'booting' && this.currentState !== 'running') return;
    const ramdisk = this.ramdisk;
    this.ramdisk = null;
    ramdisk?.die();
    this.deadRamdisk = ramdisk;
    this.setState('dead');
  }

  /** From now on this command (e.g. `standby.prepare_image`) never ends. */
  hangCommand(command: string): void {
    this.hung.add(knownCommand(command));
  }

  /** From now on this command ends FAILED with a `CommandExecutionError` whose details are `message`. */
  failCommand(command: string, message: string): void {
    this.failures.set(knownCommand(command), message);
  }

  /** Commands behave normally again (hung ones already running stay hung). */
  clearCommandFaults(): void {
    this.hung.clear();
    this.failures.clear();
  }

  /** Wipes the deployed image, so the next power-on boots the ramdisk again (tear down, cleaning). */
  undeploy(): void {
    this.deployedImageId = null;
  }

  /** Stops everything for good; resolves once the agent's port is closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.poweredOn = false;
    this.stopRamdisk();
    this.setState('off');
    await Promise.all(this.stopping);
  }

  /** True after `close()`. */
  get isClosed(): boolean {
    return this.closed;
  }

  private bootFromDisk(): void {
    if (this.deployedImageId !== null) {
      this.logger.info(`Booting the deployed image ${this.deployedImageId}`);
      this.setState('instance');
    } else {
      this.startRamdisk();
    }
  }

  private startRamdisk(): void {
    this.stopRamdisk();
    const { settings, environment } = this;
    const ramdisk = new Ramdisk(
      {
        ...environment,
        nodeUuid: settings.nodeUuid,
        macs: settings.macs,
        agentVersion: settings.agentVersion,
        bootDelayMs: settings.bootDelayMs,
        commandDurationMs: settings.commandDurationMs,
        heartbeatTimeoutSeconds: settings.heartbeatTimeoutSeconds,
        lookupIntervalMs: settings.lookupIntervalMs,
        lookupMaxIntervalMs: settings.lookupMaxIntervalMs,
        logger: this.logger,
        faults: { hung: this.hung, failures: this.failures },
        preferredPort: this.port,
      },
      {
        lookedUp: (outcome) => {
          this.counters.lookups += 1;
          this.events.emit('lookup', outcome);
        },
        serving: (_url, port) => {
          this.port = port;
          this.setState('running');
        },
        heartbeat: (record) => {
          this.counters.heartbeats += 1;
          if (!record.accepted) this.counters.heartbeatFailures += 1;
          this.latestHeartbeat = record;
          this.events.emit('heartbeat', record);
        },
        command: (result) => this.events.emit('command', result),
        imageWritten: (imageId) => {
          this.deployedImageId = imageId;
        },
        writtenImageId: () => this.deployedImageId,
        shutdown: (kind) => this.ramdiskShutDown(ramdisk, kind),
      },
    );
    this.ramdisk = ramdisk;
    this.lastRamdisk = ramdisk;
    this.setState('booting');
    ramdisk.start();
  }

  private ramdiskShutDown(ramdisk: Ramdisk, kind: 'poweroff' | 'reboot'): void {
    if (this.ramdisk !== ramdisk) return;
    this.stopRamdisk();
    if (kind === 'reboot') {
      this.bootFromDisk();
      return;
    }
    this.poweredOn = false;
    this.setState('off');
    this.events.emit('powerOffRequested');
    try {
      this.settings.onPowerOffRequested?.(this);
    } catch (error) {
      this.logger.error({ err: error }, 'onPowerOffRequested threw');
    }
  }

  private stopRamdisk(): void {
    for (const ramdisk of [this.ramdisk, this.deadRamdisk]) {
      if (!ramdisk) continue;
      const stopped = ramdisk.stop().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'closing the agent API failed');
      });
      this.stopping.add(stopped);
      void stopped.finally(() => this.stopping.delete(stopped));
    }
    this.ramdisk = null;
    this.deadRamdisk = null;
  }

  private setState(state: IpaAgentState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.logger.debug(`agent state ${state}`);
    this.events.emit('state', state);
  }

  private assertOpen(): void {
    if (this.closed) throw new IpaFleetClosed();
  }
}

function knownCommand(command: string): string {
  if (!KNOWN_COMMANDS.includes(command)) {
    throw new InvalidIpaAgentOption('command', command, `expected one of ${KNOWN_COMMANDS.join(', ')}`);
  }
  return command;
}
