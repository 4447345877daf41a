import type { PowerState, ProvisionState, Task } from '@ironic/driver-base';
import { errorMessage } from '../error-message.js';

/** Ironic's `FAILURE_STATES` (those this state machine has): a power action keeps their `last_error`. */
const FAILURE_STATES: ReadonlySet<ProvisionState> = new Set([
  'deploy failed',
  'clean failed',
  'inspect failed',
  'rescue failed',
  'unrescue failed',
]);

/**
 * Powers a node on or off and records it (Ironic's `node_power_action`): `target_power_state` shows the
 * action while it runs; success saves the new `power_state`, failure saves `last_error` and rethrows.
 * The task must hold the node's exclusive lock.
 */
export async function nodePowerAction(task: Task, state: Exclude<PowerState, 'error'>): Promise<void> {
  const keepError = FAILURE_STATES.has(task.node.provision_state);
  await task.save({ target_power_state: state, ...(keepError ? {} : { last_error: null }) });
  try {
    await task.driver.interfaces.power.setPowerState(task, state);
  } catch (error) {
    await task.save({
      target_power_state: null,
      last_error: `Failed to change power state to '${state}' by '${state}': ${errorMessage(error)}`,
    });
    throw error;
  }
  await task.save({ power_state: state, target_power_state: null });
  task.logger.info({ state }, `Successfully set node ${task.node.uuid} power state to ${state}.`);
}
