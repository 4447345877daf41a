import {
  defineNodePeriodic,
  type Node,
  type NodePeriodicContext,
  type NodePeriodicDefinition,
  ProvisionState,
  type Task,
} from '@ironic/driver-base';
import { pythonRepr } from '../api/python-repr.js';
import type { ConductorConfig } from '../config/schema.js';

/** The name of the task that fails nodes that waited too long. */
export const CHECK_WAIT_TIMEOUTS_TASK = 'conductor.checkWaitTimeouts';

/** The timeouts, in seconds (0: that wait is not bounded), and how often they are checked. */
export type WaitTimeoutsConfig = Pick<
  ConductorConfig['conductor'],
  | 'clean_callback_timeout'
  | 'inspect_wait_timeout'
  | 'deploy_callback_timeout'
  | 'rescue_callback_timeout'
  | 'check_provision_state_interval'
>;

/** One bounded wait: its timeout option, when the wait began, and Ironic's words when it runs out. */
interface BoundedWait {
  readonly option: keyof Omit<WaitTimeoutsConfig, 'check_provision_state_interval'>;
  /** When the wait began (epoch ms), or was last shown alive. */
  readonly since: (node: Readonly<Node>) => number | undefined;
  readonly message: (node: Readonly<Node>) => string;
}

/** Epoch ms of a stored timestamp; one without a zone (as Ironic writes them) is UTC. */
function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The later of the last provision state change and the ramdisk agent's last heartbeat: as Ironic's
 * heartbeat "touches" the provisioning, an agent still at work keeps its node's wait alive.
 */
function touchedByRamdisk(node: Readonly<Node>): number | undefined {
  const times = [
    parseTimestamp(node.provision_updated_at),
    parseTimestamp(node.driver_internal_info.agent_last_heartbeat),
  ].filter((time): time is number => time !== undefined);
  return times.length === 0 ? undefined : Math.max(...times);
}

const WAITS: Readonly<Partial<Record<ProvisionState, BoundedWait>>> = {
  [ProvisionState.CLEANWAIT]: {
    option: 'clean_callback_timeout',
    since: touchedByRamdisk,
    message: (node) =>
      `Timeout reached while cleaning the node. Please check if the ramdisk responsible for the cleaning is running on the node. Failed on step ${pythonRepr(node.clean_step)}.`,
  },
  [ProvisionState.INSPECTWAIT]: {
    option: 'inspect_wait_timeout',
    since: (node) => parseTimestamp(node.inspection_started_at ?? node.provision_updated_at),
    message: () => 'timeout reached while inspecting the node',
  },
  [ProvisionState.DEPLOYWAIT]: {
    option: 'deploy_callback_timeout',
    since: touchedByRamdisk,
    message: (node) => `Timeout reached while waiting for callback for node ${node.uuid}`,
  },
  [ProvisionState.RESCUEWAIT]: {
    option: 'rescue_callback_timeout',
    since: touchedByRamdisk,
    message: (node) => `Timeout reached while waiting for rescue ramdisk callback for node ${node.uuid}`,
  },
};

/**
 * Ironic's `_check_cleanwait_timeouts`, `_check_inspect_wait_timeouts`, `_check_deploy_timeouts` and
 * `_check_rescuewait_timeouts` as one sweep, for the nodes of every driver: a node still waiting once its
 * wait's timeout has passed goes to its failed state (`clean failed`, `inspect failed`, `deploy failed`,
 * `rescue failed`), keeping its target, with Ironic's message in `last_error` followed by the error
 * recorded while it waited (a BMC that stopped answering, say).
 */
export class WaitTimeouts {
  readonly #config: WaitTimeoutsConfig;
  readonly #now: () => number;
  #failed = 0;

  constructor(config: WaitTimeoutsConfig, now: () => number) {
    this.#config = config;
    this.#now = now;
  }

  /** Nodes failed by a timeout since the conductor started. */
  get failed(): number {
    return this.#failed;
  }

  /** Whether `node` waits in a bounded state and its timeout has passed. */
  timedOut(node: Readonly<Node>): boolean {
    const wait = WAITS[node.provision_state];
    if (!wait) return false;
    const timeout = this.#config[wait.option];
    const since = wait.since(node);
    if (timeout <= 0 || since === undefined) return false;
    return this.#now() - since >= timeout * 1000;
  }

  /** The per-node periodic definition of `conductor.checkWaitTimeouts`. */
  definition(): NodePeriodicDefinition {
    const interval = this.#config.check_provision_state_interval;
    const states = Object.keys(WAITS) as ProvisionState[];
    return defineNodePeriodic((task, context) => this.failNode(task, context), {
      name: CHECK_WAIT_TIMEOUTS_TASK,
      spacing: (interval > 0 ? interval : 60) * 1000,
      enabled: interval > 0,
      // As Ironic: a node in maintenance, or being worked on, is left alone.
      filters: { provision_state: states, maintenance: false, reserved: false },
      predicate: (node) => this.timedOut(node),
      shared: false,
    });
  }

  /** Fails one timed-out node (checked again under the lock); false when it moved on meanwhile. */
  async failNode(task: Task, { logger }: NodePeriodicContext): Promise<boolean> {
    const node = task.node;
    const wait = WAITS[node.provision_state];
    if (!wait || node.maintenance || !this.timedOut(node)) return false;
    const lastError =
      node.last_error === null ? wait.message(node) : `${wait.message(node)} Last error: ${node.last_error}`;
    await task.processEvent('fail', {
      lastError,
      ...(node.provision_state === ProvisionState.CLEANWAIT ? { changes: { clean_step: {} } } : {}),
    });
    this.#failed += 1;
    logger.error({ state: node.provision_state, timeout: this.#config[wait.option] }, lastError);
    return true;
  }
}
