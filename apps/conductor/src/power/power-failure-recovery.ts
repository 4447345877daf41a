import {
  defineNodePeriodic,
  type Node,
  type NodePeriodicContext,
  type NodePeriodicDefinition,
  type PowerState,
  type Task,
} from '@ironic/driver-base';
import { errorMessage } from '../error-message.js';
import { PowerStateFailure } from '../errors.js';
import { POWER_FAILURE } from './power-state-sync.js';

/** The name of the power failure recovery task. */
export const POWER_FAILURE_RECOVERY_TASK = 'conductor.checkPowerFailureRecovery';

/** Options of `new PowerFailureRecovery(...)`. */
export interface PowerFailureRecoveryOptions {
  /** Seconds between sweeps; 0 disables the task. */
  readonly interval: number;
  /** Nodes handled at once. */
  readonly workers: number;
}

/** What the recovery did since the conductor started. */
export interface PowerRecoveryFigures {
  /** Nodes whose BMC was asked for their power state. */
  checked: number;
  /** Nodes taken out of maintenance. */
  recovered: number;
}

/** A node the power-state sync gave up on, with nothing else going on (Ironic's checks). */
function awaitingRecovery(node: Readonly<Node>): boolean {
  return (
    node.maintenance &&
    node.fault === POWER_FAILURE &&
    node.provision_state !== 'enroll' &&
    node.target_power_state === null
  );
}

/**
 * Ironic's `_power_failure_recovery`: nodes in maintenance with fault `power failure` whose BMC gives a
 * power state again leave maintenance, with that state recorded. A BMC still failing is logged at debug
 * level and tried again at the next sweep.
 */
export class PowerFailureRecovery {
  readonly #options: PowerFailureRecoveryOptions;
  readonly #figures: PowerRecoveryFigures = { checked: 0, recovered: 0 };

  constructor(options: PowerFailureRecoveryOptions) {
    this.#options = options;
  }

  /** Totals since the conductor started. */
  get figures(): Readonly<PowerRecoveryFigures> {
    return { ...this.#figures };
  }

  /** The per-node periodic definition of `conductor.checkPowerFailureRecovery`. */
  definition(): NodePeriodicDefinition {
    const { interval, workers } = this.#options;
    return defineNodePeriodic((task, context) => this.recoverNode(task, context), {
      name: POWER_FAILURE_RECOVERY_TASK,
      spacing: (interval > 0 ? interval : 300) * 1000,
      enabled: interval > 0,
      filters: { maintenance: true, reserved: false },
      predicate: awaitingRecovery,
      shared: true,
      concurrency: workers,
    });
  }

  /** One node, under a shared lock; false when it was skipped or its BMC still fails. */
  async recoverNode(task: Task, { logger, signal }: NodePeriodicContext): Promise<boolean> {
    if (!awaitingRecovery(task.node) || task.node.reservation !== null) return false;
    const power = task.driver.interfaces.power;
    let actual: PowerState | null;
    this.#figures.checked += 1;
    try {
      // driver_info may have been mended while the node was in maintenance.
      await power.validate?.(task);
      actual = await power.getPowerState(task, { signal });
      if (actual === 'error') {
        throw new PowerStateFailure('Power driver returned ERROR state while trying to get power state.');
      }
    } catch (error) {
      logger.debug(
        { err: error },
        `During power_failure_recovery, could not get power state for node ${task.node.uuid}: ${errorMessage(error)}`,
      );
      return false;
    }
    await task.upgradeLock();
    if (!awaitingRecovery(task.node)) return false;
    const stored = task.node.power_state;
    // A driver that answers but cannot tell the state (null) has still answered: the stored state stays.
    await task.save({
      power_state: actual ?? stored,
      maintenance: false,
      maintenance_reason: null,
      fault: null,
    });
    this.#figures.recovered += 1;
    logger.info(
      { stored, actual },
      `Node ${task.node.uuid} is recovered from power failure with actual power state '${actual}'.`,
    );
    return true;
  }
}
