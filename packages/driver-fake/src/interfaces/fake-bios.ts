import {
  type BiosInterface,
  type CleanStepDefinition,
  InvalidParameterValue,
  type JsonObject,
  type Task,
} from '@ironic/driver-base';
import type { Delay } from '../delay.js';

/** Where the fake keeps the BIOS settings applied to a node (Ironic keeps them in its `bios_settings` table). */
export const BIOS_SETTINGS_KEY = 'fake_bios_settings';

function settingsOf(task: Task): JsonObject {
  const stored = task.node.driver_internal_info[BIOS_SETTINGS_KEY];
  return typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored : {};
}

/**
 * Ironic's `fake` BIOS: the manual clean steps `apply_configuration` (a list of `{name, value}`),
 * `factory_reset` and `cache_bios_settings`, keeping the settings in the node's `driver_internal_info`.
 */
export class FakeBIOS implements BiosInterface {
  readonly cleanSteps: Readonly<Record<string, CleanStepDefinition>>;

  constructor(readonly delay: Delay) {
    this.cleanSteps = {
      apply_configuration: {
        priority: 0,
        argsinfo: {
          settings: {
            description:
              'List of BIOS settings, each item needs to contain a dictionary with name/value pairs',
            required: true,
          },
        },
        run: (task, args) => this.#apply(task, args.settings),
      },
      factory_reset: { priority: 0, run: (task) => this.#reset(task) },
      cache_bios_settings: { priority: 0, run: () => this.#cache() },
    };
  }

  validate(): void {}

  async #apply(task: Task, settings: unknown): Promise<'done'> {
    if (!Array.isArray(settings)) {
      throw new InvalidParameterValue('apply_configuration needs "settings": a list of {"name", "value"}');
    }
    const next = { ...settingsOf(task) };
    settings.forEach((setting, index) => {
      const { name, value } = (setting ?? {}) as JsonObject;
      if (typeof name !== 'string' || value === undefined) {
        throw new InvalidParameterValue(`settings[${index}] needs a "name" and a "value"`);
      }
      next[name] = value;
    });
    await this.delay();
    await task.save({
      driver_internal_info: { ...task.node.driver_internal_info, [BIOS_SETTINGS_KEY]: next },
    });
    return 'done';
  }

  async #cache(): Promise<'done'> {
    await this.delay();
    return 'done';
  }

  async #reset(task: Task): Promise<'done'> {
    await this.delay();
    const { [BIOS_SETTINGS_KEY]: _settings, ...rest } = task.node.driver_internal_info;
    await task.save({ driver_internal_info: rest });
    return 'done';
  }
}
