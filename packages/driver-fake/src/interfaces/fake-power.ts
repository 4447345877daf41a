import type { PowerActionOptions, PowerInterface, PowerState, PowerTarget, Task } from '@ironic/driver-base';
import type { Delay } from '../delay.js';

/** Every power target Ironic's fake power supports, soft ones included. */
const SUPPORTED: readonly PowerTarget[] = [
  'power on',
  'power off',
  'rebooting',
  'soft rebooting',
  'soft power off',
];

/**
 * Ironic's `fake` power: the power state is whatever the node record says (null until something sets
 * it); changing it writes the node, reaching no hardware.
 */
export class FakePower implements PowerInterface {
  constructor(readonly delay: Delay) {}

  validate(): void {}

  async getPowerState(task: Task): Promise<PowerState | null> {
    await this.delay();
    return task.node.power_state;
  }

  async setPowerState(
    task: Task,
    state: 'power on' | 'power off' | 'soft power off',
    _options?: PowerActionOptions,
  ) {
    await this.delay();
    await task.upgradeLock();
    await task.save({
      power_state: state === 'power on' ? 'power on' : 'power off',
      target_power_state: null,
    });
  }

  async reboot(task: Task, _options?: PowerActionOptions & { soft?: boolean }) {
    await this.delay();
    await task.upgradeLock();
    await task.save({ power_state: 'power on', target_power_state: null });
  }

  getSupportedPowerStates(): readonly PowerTarget[] {
    return SUPPORTED;
  }
}
