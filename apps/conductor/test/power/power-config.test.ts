import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

describe('power sync settings', () => {
  it('default to Ironic\u2019s', () => {
    expect(parseConfig({}, { env: {} }).conductor).toMatchObject({
      sync_power_state_interval: 60,
      force_power_state_during_sync: true,
      power_state_sync_max_retries: 3,
      sync_power_state_workers: 8,
      power_failure_recovery_interval: 300,
    });
  });

  it('take 0 to disable the periodic tasks, and refuse bad values naming each field', () => {
    const off = parseConfig(
      {
        conductor: {
          sync_power_state_interval: 0,
          power_failure_recovery_interval: 0,
          power_state_sync_max_retries: 0,
        },
      },
      { env: {} },
    );
    expect(off.conductor).toMatchObject({ sync_power_state_interval: 0, power_failure_recovery_interval: 0 });
    const parse = () =>
      parseConfig(
        {
          conductor: {
            sync_power_state_interval: -1,
            sync_power_state_workers: 0,
            power_state_sync_max_retries: 1.5,
            force_power_state_during_sync: 'yes',
          },
        },
        { source: 'power.json', env: {} },
      );
    expect(parse).toThrow(ConfigError);
    let error: ConfigError | undefined;
    try {
      parse();
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.issues.map((issue) => issue.path).sort()).toEqual([
      'conductor.force_power_state_during_sync',
      'conductor.power_state_sync_max_retries',
      'conductor.sync_power_state_interval',
      'conductor.sync_power_state_workers',
    ]);
  });
});
