import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

describe('cluster settings', () => {
  it('default to Ironic’s: a heartbeat every 10 s, dead after 60 s', () => {
    const config = parseConfig({}, { env: {} });
    expect(config.conductor).toMatchObject({ heartbeat_interval: 10, heartbeat_timeout: 60 });
  });

  it('reject a heartbeat timeout not longer than the interval, naming the field', () => {
    const parse = () =>
      parseConfig(
        { conductor: { heartbeat_interval: 5, heartbeat_timeout: 5 } },
        { source: 'cluster.json', env: {} },
      );
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      'Invalid configuration in cluster.json: conductor.heartbeat_timeout: must be longer than conductor.heartbeat_interval',
    );
  });
});
