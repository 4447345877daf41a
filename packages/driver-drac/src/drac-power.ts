import type { PowerInterface, PowerState, PowerStateReadOptions, Task } from '@ironic/driver-base';
import type { Clock } from '@ironic/periodic-core';
import { ironicPowerState, resetSystem } from '@ironic/redfish';
import type { BmcConnector, IdracBmc } from './bmc-connector.js';
import { parseDriverInfo } from './driver-info.js';
import { PowerStateTimeout } from './errors.js';
import { readSystemPower } from './idrac-resources.js';

/** How long to wait for the system to reach a requested power state unless told (Ironic's default). */
export const DEFAULT_POWER_STATE_TIMEOUT_MS = 60_000;
/** Pause between two reads of the power state while waiting for a change. */
const POWER_POLL_MS = 1_000;

/** Ironic's power state of a Redfish `PowerState` (a transition counts as its destination, as in Ironic). */
export function powerStateOf(redfish: string | undefined): PowerState {
  return ironicPowerState(redfish);
}

/** Power control through Redfish: `PowerState` of the system and its `ComputerSystem.Reset` action. */
export class DracPower implements PowerInterface {
  constructor(
    readonly connector: BmcConnector,
    readonly clock: Clock,
  ) {}

  validate(task: Task): void {
    parseDriverInfo(task.node);
  }

  /** One GET of the system once the BMC's session exists, within the driver's `request_timeout`. */
  async getPowerState(task: Task, options: PowerStateReadOptions = {}): Promise<PowerState> {
    const { powerState } = await readSystemPower(
      this.connector.bmcFor(task.node),
      options.signal ? { signal: options.signal } : {},
    );
    return powerStateOf(powerState);
  }

  /** `On` or `ForceOff`, unless the system is already there; then waits until it reports the state. */
  async setPowerState(
    task: Task,
    state: 'power on' | 'power off',
    options: { timeoutMs?: number } = {},
  ): Promise<void> {
    const bmc = this.connector.bmcFor(task.node);
    const current = await readSystemPower(bmc);
    if (powerStateOf(current.powerState) === state) return;
    await resetSystem(bmc.client, current.resetTarget, state === 'power on' ? 'On' : 'ForceOff');
    await this.#waitFor(task, bmc, state, options.timeoutMs ?? DEFAULT_POWER_STATE_TIMEOUT_MS);
  }

  /** `ForceRestart` when the system is on, `On` when it is off (as Ironic's redfish power does). */
  async reboot(task: Task, options: { timeoutMs?: number } = {}): Promise<void> {
    const bmc = this.connector.bmcFor(task.node);
    const current = await readSystemPower(bmc);
    const on = powerStateOf(current.powerState) === 'power on';
    await resetSystem(bmc.client, current.resetTarget, on ? 'ForceRestart' : 'On');
    await this.#waitFor(task, bmc, 'power on', options.timeoutMs ?? DEFAULT_POWER_STATE_TIMEOUT_MS);
  }

  async #waitFor(task: Task, bmc: IdracBmc, state: PowerState, timeoutMs: number): Promise<void> {
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      if (powerStateOf((await readSystemPower(bmc)).powerState) === state) return;
      if (this.clock.now() >= deadline) throw new PowerStateTimeout(task.node.uuid, state, timeoutMs);
      await new Promise<void>((resolve) => this.clock.setTimer(resolve, POWER_POLL_MS));
    }
  }
}
