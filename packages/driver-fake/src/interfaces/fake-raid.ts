import type { AsyncOutcome, CleanStepDefinition, RaidConfig, RaidInterface, Task } from '@ironic/driver-base';
import type { Delay } from '../delay.js';
import { validateRaidConfig } from './raid-config.js';

/**
 * Ironic's `fake` RAID: configurations are checked against Ironic's RAID schema, and "applied" at once:
 * creating copies the node's `target_raid_config` to `raid_config`, deleting empties it. Both are manual
 * clean steps (priority 0): automated cleaning does nothing.
 */
export class FakeRAID implements RaidInterface {
  readonly cleanSteps: Readonly<Record<string, CleanStepDefinition>>;

  constructor(readonly delay: Delay) {
    this.cleanSteps = {
      create_configuration: { priority: 0, run: (task) => this.#create(task) },
      delete_configuration: { priority: 0, run: (task) => this.deleteConfiguration(task) },
    };
  }

  validate(task: Task): void {
    const target = task.node.target_raid_config;
    if (Object.keys(target).length > 0) validateRaidConfig(target as unknown as RaidConfig);
  }

  validateRaidConfig(_task: Task, config: RaidConfig): void {
    validateRaidConfig(config);
  }

  async createConfiguration(task: Task): Promise<AsyncOutcome> {
    return this.#create(task);
  }

  async deleteConfiguration(task: Task): Promise<AsyncOutcome> {
    await this.delay();
    await task.save({ raid_config: {} });
    return 'done';
  }

  async #create(task: Task): Promise<AsyncOutcome> {
    await this.delay();
    await task.save({ raid_config: task.node.target_raid_config });
    return 'done';
  }
}
