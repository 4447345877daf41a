import type { Logger } from 'pino';

/**
 * The clock agents schedule on: structurally the same as `@ironic/periodic-core`'s `Clock`, so its
 * `ManualClock` (or any fake with these three methods) drives heartbeats, lookup retries and command
 * durations in tests. `now()` is epoch milliseconds.
 */
export interface IpaClock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** A power state as a Redfish BMC reports it. */
export type IpaPowerState = 'On' | 'Off';

/**
 * Anything that owns a node's power and announces changes: a simulated BMC, or a plain EventEmitter
 * with a `powerState` field. `bindToPower` listens to its `'power'` events.
 */
export interface IpaPowerSource {
  readonly powerState: IpaPowerState;
  readonly events: {
    on(event: 'power', listener: (state: IpaPowerState) => void): unknown;
    off(event: 'power', listener: (state: IpaPowerState) => void): unknown;
  };
}

/**
 * Where a simulated machine is:
 * - `off`: powered off (or the ramdisk shut itself down);
 * - `booting`: powered on into the ramdisk, which is still starting or looking its node up;
 * - `running`: the agent serves its API at `callbackUrl` and heartbeats;
 * - `dead`: told to die — no heartbeats, connections refused — until the next power cycle or `boot()`;
 * - `instance`: powered on into the deployed image, so there is no agent.
 */
export type IpaAgentState = 'off' | 'booting' | 'running' | 'dead' | 'instance';

/** A command's status as IPA reports it in `command_status`. */
export type IpaCommandStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** IPA's serialized `RESTError` in `command_error`. */
export interface IpaCommandError {
  readonly type: string;
  readonly code: number;
  readonly message: string;
  readonly details: string;
}

/** A command result exactly as IPA serializes it (no `command_params`). */
export interface IpaCommandResult {
  readonly id: string;
  /** Without the extension prefix (`"prepare_image"`), except for a synchronous command that raised. */
  readonly command_name: string;
  readonly command_status: IpaCommandStatus;
  readonly command_error: IpaCommandError | null;
  readonly command_result: Record<string, unknown> | null;
}

/** Options of `startIpaFleet`. */
export interface IpaFleetOptions {
  /**
   * The conductor's Ironic API root, e.g. `http://127.0.0.1:6385` (IPA's `ipa-api-url`). It may come later,
   * with `IpaFleet.setIronicUrl` (a conductor on port 0 is known once started): until then a ramdisk's
   * lookups fail and it retries them, as a ramdisk whose API is unreachable does.
   */
  ironicUrl?: string;
  /** Timers for boot delays, lookup retries, heartbeats and command durations. Default: real timers. */
  clock?: IpaClock;
  /** Jitter source returning [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Where agents log (each as a child with its node UUID). Default: silent. */
  logger?: Logger;
  /** Give up on one HTTP request to Ironic after this long (IPA's `http_request_timeout`). Default 60 000. */
  requestTimeoutMs?: number;
}

/** Options of `fleet.addAgent`. */
export interface AddIpaAgentOptions {
  /** The node's UUID; sent as `node_uuid` on lookup. */
  nodeUuid: string;
  /** The node's NIC MAC addresses (colon form); sent as `addresses` on lookup. At least one. */
  macs: readonly string[];
  /** From power on until the agent starts its lookup. Default 0. */
  bootDelayMs?: number;
  /** How long `standby.prepare_image` runs. Default 0 (ends on the next clock tick). */
  commandDurationMs?: number;
  /** Reported as `agent_version` and in `GET /v1/status`. Default `'9.4.0'`. */
  agentVersion?: string;
  /** Use this instead of the lookup's `config.heartbeat_timeout` (seconds). */
  heartbeatTimeoutSeconds?: number;
  /** First lookup retry delay (IPA's `lookup_interval`, seconds in IPA). Default 1000. */
  lookupIntervalMs?: number;
  /** Longest lookup retry delay. Default 60 000 (IPA's cap). */
  lookupMaxIntervalMs?: number;
  /** Called when the ramdisk powers the machine off (`standby.power_off`): switch the BMC off here. */
  onPowerOffRequested?: (agent: { readonly nodeUuid: string }) => void;
}

/** One heartbeat the agent sent, as recorded for tests and the demo. */
export interface IpaHeartbeatRecord {
  /** Clock time the heartbeat was sent. */
  readonly at: number;
  /** HTTP status, or null when no response came (connection refused, timeout). */
  readonly status: number | null;
  /** True only for 202. */
  readonly accepted: boolean;
  /** Why it was not accepted (IPA's `Error <status>: <faultstring>`), else null. */
  readonly error: string | null;
}

/** Events a `SimulatedIpaAgent` emits on `agent.events`. */
export interface IpaAgentEvents {
  state: [state: IpaAgentState];
  lookup: [outcome: { status: number | null; ok: boolean }];
  heartbeat: [record: IpaHeartbeatRecord];
  command: [result: IpaCommandResult];
  powerOffRequested: [];
}
