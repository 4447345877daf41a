import { pino } from 'pino';
import { Agent } from 'undici';
import { DuplicateIpaAgent, InvalidIpaAgentOption, IpaFleetClosed } from './errors.js';
import { realIpaClock } from './real-clock.js';
import { type IpaAgentEnvironment, SimulatedIpaAgent } from './simulated-agent.js';
import type { AddIpaAgentOptions, IpaFleetOptions } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
/** What a 2023-era IPA reports as its version. */
const DEFAULT_AGENT_VERSION = '9.4.0';

/** Many simulated IPA agents in one process, sharing one connection pool to the conductor. */
export class IpaFleet {
  private readonly byNode = new Map<string, SimulatedIpaAgent>();
  private closed = false;

  /** @internal Use `startIpaFleet`. */
  constructor(private readonly environment: IpaAgentEnvironment & { readonly dispatcher: Agent }) {}

  /**
   * Points the fleet at the conductor's Ironic API: ramdisks that boot from now on look up and heartbeat
   * there (one already running keeps the API it booted with, as a real ramdisk does).
   */
  setIronicUrl(ironicUrl: string): void {
    this.environment.ironicUrl = checkIronicUrl(ironicUrl);
  }

  /** Every agent, in the order added. */
  get agents(): readonly SimulatedIpaAgent[] {
    return [...this.byNode.values()];
  }

  /** The agent of this node, if any. */
  get(nodeUuid: string): SimulatedIpaAgent | undefined {
    return this.byNode.get(nodeUuid.toLowerCase());
  }

  /** Adds a powered-off machine with an IPA ramdisk; throws `InvalidIpaAgentOption` on bad input. */
  addAgent(options: AddIpaAgentOptions): SimulatedIpaAgent {
    if (this.closed) throw new IpaFleetClosed();
    const nodeUuid = checkUuid(options.nodeUuid);
    if (this.byNode.has(nodeUuid)) throw new DuplicateIpaAgent(nodeUuid);
    const agent = new SimulatedIpaAgent(
      {
        nodeUuid,
        macs: checkMacs(options.macs),
        bootDelayMs: checkDuration('bootDelayMs', options.bootDelayMs, 0),
        commandDurationMs: checkDuration('commandDurationMs', options.commandDurationMs, 0),
        agentVersion: checkVersion(options.agentVersion),
        heartbeatTimeoutSeconds:
          options.heartbeatTimeoutSeconds === undefined
            ? null
            : checkPositive('heartbeatTimeoutSeconds', options.heartbeatTimeoutSeconds),
        lookupIntervalMs: checkPositive('lookupIntervalMs', options.lookupIntervalMs ?? 1000),
        lookupMaxIntervalMs: checkPositive('lookupMaxIntervalMs', options.lookupMaxIntervalMs ?? 60_000),
        onPowerOffRequested: options.onPowerOffRequested,
      },
      this.environment,
    );
    this.byNode.set(nodeUuid, agent);
    return agent;
  }

  /** Stops and forgets one agent. */
  async removeAgent(nodeUuid: string): Promise<void> {
    const agent = this.get(nodeUuid);
    if (!agent) return;
    this.byNode.delete(agent.nodeUuid);
    await agent.close();
  }

  /** Stops every agent, closes their ports and the connection pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.byNode.values()].map((agent) => agent.close()));
    await this.environment.dispatcher.destroy();
  }
}

/** Creates an empty fleet of simulated IPA ramdisks that talk to the Ironic API at `ironicUrl`. */
export function startIpaFleet(options: IpaFleetOptions = {}): IpaFleet {
  const ironicUrl = options.ironicUrl === undefined ? '' : checkIronicUrl(options.ironicUrl);
  const requestTimeoutMs = checkPositive('requestTimeoutMs', options.requestTimeoutMs ?? 60_000);
  return new IpaFleet({
    ironicUrl,
    clock: options.clock ?? realIpaClock,
    random: options.random ?? Math.random,
    logger: options.logger ?? pino({ level: 'silent' }),
    requestTimeoutMs,
    // One pool for all agents; unbounded, so a busy fleet never queues heartbeats behind each other.
    dispatcher: new Agent({ keepAliveTimeout: 4000 }),
  });
}

function checkIronicUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InvalidIpaAgentOption('ironicUrl', value, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidIpaAgentOption('ironicUrl', value, 'expected an http(s) URL');
  }
  return String(value);
}

function checkUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new InvalidIpaAgentOption('nodeUuid', value, 'expected a UUID');
  }
  return value.toLowerCase();
}

function checkMacs(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidIpaAgentOption('macs', value, 'expected at least one MAC address');
  }
  return value.map((mac, index) => {
    if (typeof mac !== 'string' || !MAC.test(mac)) {
      throw new InvalidIpaAgentOption(`macs[${index}]`, mac, 'expected a MAC address like 52:54:00:12:34:56');
    }
    return mac.toLowerCase();
  });
}

function checkVersion(value: unknown): string {
  if (value === undefined) return DEFAULT_AGENT_VERSION;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidIpaAgentOption('agentVersion', value, 'expected a non-empty string');
  }
  return value;
}

function checkDuration(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidIpaAgentOption(option, value, 'expected a finite number of milliseconds >= 0');
  }
  return value;
}

function checkPositive(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidIpaAgentOption(option, value, 'expected a finite number > 0');
  }
  return value;
}
