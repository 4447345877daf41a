import {
  defineNodePeriodic,
  InvalidParameterValue,
  type Node,
  type NodePeriodicContext,
  type NodePeriodicDefinition,
  type PowerState,
  type ProvisionState,
  type Task,
} from '@ironic/driver-base';
import { errorMessage } from '../error-message.js';
import { PowerStateFailure } from '../errors.js';
import { nodePowerAction } from './node-power-action.js';
import { type PowerSyncOutcome, PowerSyncStats } from './power-sync-stats.js';

/** The name of the power-state sync task. */
export const SYNC_POWER_STATES_TASK = 'conductor.syncPowerStates';
/** Ironic's `faults.POWER_FAILURE`: the `fault` of a node the sync gave up on. */
export const POWER_FAILURE = 'power failure';
/**
 * Ironic's `SYNC_EXCLUDED_STATES` (21.4): deploy wait, clean wait and enroll, where a ramdisk may be
 * calling back or the BMC is not validated yet. (Ironic also lists `adopt failed`, a state this state
 * machine does not have.)
 */
export const SYNC_EXCLUDED_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  'wait call-back',
  'clean wait',
  'enroll',
]);

/** Options of `new PowerStateSync(...)`: the `conductor.*` power sync fields. */
export interface PowerStateSyncOptions {
  /** Seconds between sweeps; 0 disables the task. */
  readonly interval: number;
  /** Power a node back to its stored state (true) or record the BMC's (false). */
  readonly force: boolean;
  /** Sweeps in a row a node may be out of sync before it goes to maintenance. */
  readonly maxRetries: number;
  /** Nodes handled at once. */
  readonly workers: number;
  /** The conductor's clock (epoch ms), for the figures. */
  readonly now: () => number;
}

/**
 * Whether the sync may touch a node now (Ironic's checks, made on the listed node and again under the
 * lock): not in an excluded state, not in maintenance, no power action in flight, not reserved.
 */
export function inSyncScope(node: Readonly<Node>): boolean {
  return unoccupied(node) && node.reservation === null;
}

/** The checks that still hold once the sync itself has reserved the node. */
function unoccupied(node: Readonly<Node>): boolean {
  return (
    !SYNC_EXCLUDED_STATES.has(node.provision_state) && !node.maintenance && node.target_power_state === null
  );
}

/**
 * The conductor's power-state sync (Ironic's `_sync_power_states` and `do_sync_power_state`): reads each
 * owned node's power state from its BMC under a shared lock, and when it differs from the stored one,
 * records it (stored state unknown, or `force` off) or powers the node back (`force` on). A node out of
 * sync (or whose BMC fails) for more than `maxRetries` sweeps in a row goes to maintenance with fault
 * `power failure`. Failure counts live in this conductor's memory, as in Ironic.
 */
export class PowerStateSync {
  readonly stats = new PowerSyncStats();
  readonly #options: PowerStateSyncOptions;
  readonly #failures = new Map<string, number>();
  /** Nodes the current sweep listed in its scope: the failure counts of all others are dropped at its end. */
  #listed = new Set<string>();

  constructor(options: PowerStateSyncOptions) {
    this.#options = options;
  }

  /** Failed sweeps in a row, by node UUID (nodes in sync are absent). */
  get failureCounts(): ReadonlyMap<string, number> {
    return this.#failures;
  }

  /** The per-node periodic definition of `conductor.syncPowerStates`, for `createNodeSweepTask`. */
  definition(): NodePeriodicDefinition {
    const { interval, workers } = this.#options;
    return defineNodePeriodic((task, context) => this.syncNode(task, context), {
      name: SYNC_POWER_STATES_TASK,
      // A disabled task is still listed (with its default spacing), so operators see it is off.
      spacing: (interval > 0 ? interval : 60) * 1000,
      enabled: interval > 0,
      filters: { maintenance: false },
      predicate: (node) => {
        this.#listed.add(node.uuid);
        return inSyncScope(node);
      },
      shared: true,
      concurrency: workers,
    });
  }

  /** A sweep starts. */
  beginSweep(): void {
    this.#listed = new Set();
    this.stats.begin(this.#options.now());
  }

  /**
   * A sweep ended. After a complete one, failure counts of nodes it did not list (deleted, owned by
   * another conductor now, in maintenance) are dropped, so the map never outgrows the owned fleet.
   */
  endSweep(complete: boolean): void {
    if (complete) {
      for (const uuid of this.#failures.keys()) if (!this.#listed.has(uuid)) this.#failures.delete(uuid);
    }
    this.stats.end(this.#options.now());
  }

  /** One node, under a shared lock (Ironic's `do_sync_power_state`). Returns false when it was skipped. */
  async syncNode(task: Task, context: NodePeriodicContext): Promise<boolean> {
    if (!inSyncScope(task.node)) return false;
    const uuid = task.node.uuid;
    const count = (this.#failures.get(uuid) ?? 0) + 1;
    const outcome = await this.#sync(task, context, count);
    if (outcome === undefined) return false;
    this.stats.outcome(outcome.result, outcome.failed);
    if (outcome.keepCount) this.#failures.set(uuid, count);
    else this.#failures.delete(uuid);
    return true;
  }

  async #sync(
    task: Task,
    context: NodePeriodicContext,
    count: number,
  ): Promise<{ result: PowerSyncOutcome; failed?: boolean; keepCount?: boolean } | undefined> {
    // The node's logger is made when first read (a pino child per node): only where something is logged.
    const { signal } = context;
    const power = task.driver.interfaces.power;
    const { maxRetries, force } = this.#options;
    const stored = task.node.power_state;
    // A node that never had a power state and whose driver_info is not valid yet is left alone.
    if (stored === null) {
      try {
        await power.validate?.(task);
      } catch (error) {
        if (error instanceof InvalidParameterValue) return undefined;
        throw error;
      }
    }

    this.stats.checked();
    let actual: PowerState | null;
    try {
      actual = await power.getPowerState(task, { signal });
      if (actual === 'error') {
        throw new PowerStateFailure('Power driver returned ERROR state while trying to sync power state.');
      }
    } catch (error) {
      // A conductor stopping is no fault of the BMC.
      if (signal.aborted) return undefined;
      if (count > maxRetries) {
        await task.upgradeLock();
        if (!unoccupied(task.node)) return undefined;
        await this.#giveUp(task, null, context, error);
        return { result: 'maintenance', failed: true };
      }
      context.logger.warn(
        { attempt: count, retries: maxRetries, err: error },
        `During sync_power_state, could not get power state for node ${task.node.uuid}, attempt ${count} of ${maxRetries}. Error: ${errorMessage(error)}.`,
      );
      return { result: 'failed', keepCount: true };
    }
    // A driver that cannot tell (null) gives nothing to compare: the node counts as in sync.
    if (actual === null || stored === actual) return { result: 'in-sync' };

    // A change to make: take the node (NodeLocked skips it this sweep) and check again on its fresh copy.
    await task.upgradeLock();
    const node = task.node;
    if (!unoccupied(node)) return undefined;
    if (node.power_state === actual) return { result: 'in-sync' };
    // A stored `error` is no state to power a node back to: like an unknown one, it is replaced.
    if (node.power_state === null || node.power_state === 'error') {
      await task.save({ power_state: actual });
      context.logger.info(
        { stored: node.power_state, actual },
        `During sync_power_state, node ${node.uuid} has no previous known state. Recording current state '${actual}'.`,
      );
      return { result: 'recorded' };
    }
    const expected = node.power_state;
    if (count > maxRetries) {
      await this.#giveUp(task, actual, context);
      return { result: 'maintenance' };
    }
    if (force) {
      context.logger.warn(
        { stored: expected, actual, attempt: count, retries: maxRetries },
        `During sync_power_state, node ${node.uuid} state '${actual}' does not match expected state. Changing hardware state to '${expected}'.`,
      );
      try {
        await nodePowerAction(task, expected);
      } catch (error) {
        context.logger.error(
          { stored: expected, actual, attempt: count, retries: maxRetries, err: error },
          `Failed to change power state of node ${node.uuid} to '${expected}', attempt ${count} of ${maxRetries}.`,
        );
        return { result: 'failed', keepCount: true };
      }
      return { result: 'forced', keepCount: true };
    }
    await task.save({ power_state: actual });
    context.logger.warn(
      { stored: expected, actual, attempt: count, retries: maxRetries },
      `During sync_power_state, node ${node.uuid} state does not match expected state '${expected}'. Updating recorded state to '${actual}'.`,
    );
    return { result: 'updated', keepCount: true };
  }

  /** Ironic's `handle_sync_power_state_max_retries_exceeded`: the BMC's state recorded, maintenance. */
  async #giveUp(
    task: Task,
    actual: PowerState | null,
    context: NodePeriodicContext,
    error?: unknown,
  ): Promise<void> {
    const expected = task.node.power_state;
    let reason =
      `During sync_power_state, max retries exceeded for node ${task.node.uuid}, node state ${actual} ` +
      `does not match expected state '${expected}'. Updating DB state to '${actual}' ` +
      'Switching node to maintenance mode.';
    if (error !== undefined) reason += ` Error: ${errorMessage(error)}`;
    await task.save({
      power_state: actual,
      maintenance: true,
      maintenance_reason: reason,
      fault: POWER_FAILURE,
      last_error: reason,
    });
    context.logger.error({ stored: expected, actual, fault: POWER_FAILURE }, reason);
  }
}
