import type { PowerInterface } from './driver.js';
import type { PowerState } from './node.js';
import type { Task } from './task.js';

/** Ironic's fake power: the node's power state lives in the node record itself; nothing is reached. */
export class FakePower implements PowerInterface {
  async getPowerState(task: Task): Promise<PowerState> {
    return task.node.power_state ?? 'power off';
  }

  async setPowerState(task: Task, state: 'power on' | 'power off'): Promise<void> {
    await task.upgradeLock();
    await task.save({ power_state: state, target_power_state: null });
  }

  async reboot(task: Task): Promise<void> {
    await this.setPowerState(task, 'power on');
  }
}
