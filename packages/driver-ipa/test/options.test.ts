import { InvalidDriverOptions, type NodeSweepTask, validateDriverOptions } from '@ironic/driver-base';
import { createDriverHarness } from '@ironic/driver-base/testing';
import { describe, expect, it } from 'vitest';
import { ipaDriver, type RedfishPower } from '../src/index.js';

describe('the ipa driver options', () => {
  it('takes Ironic defaults', async () => {
    expect(await validateDriverOptions(ipaDriver, undefined)).toEqual({
      deploy_callback_timeout: 1800,
      agent_heartbeat_timeout: 300,
      check_provision_state_interval: 60,
      dead_ramdisk_check_interval: 60,
      max_concurrent_requests: 20,
      agent_request_timeout: 60,
      agent_status_timeout: 10,
      heartbeat_timeout: 300,
      fast_track: true,
      redfish_request_timeout: 60,
      redfish_max_requests_per_bmc: 1,
      redfish_max_concurrent_requests: 20,
      redfish_connection_cache_size: 1000,
    });
  });

  it('keeps as many BMC sessions as redfish_connection_cache_size says', async () => {
    const harness = await createDriverHarness({
      drivers: [{ package: ipaDriver, options: { redfish_connection_cache_size: 12_000 } }],
    });
    try {
      const power = harness.drivers.get('ipa')?.interfaces.power as RedfishPower;
      expect(power.redfish.maxClients).toBe(12_000);
    } finally {
      await harness.close();
    }
  });

  it('names each bad option', async () => {
    const rejection = validateDriverOptions(ipaDriver, {
      agent_heartbeat_timeout: -5,
      max_concurrent_requests: 0,
      fast_track: 'yes',
      dead_ramdisk_interval: 60,
    });
    await expect(rejection).rejects.toBeInstanceOf(InvalidDriverOptions);
    const error = (await rejection.catch((e: unknown) => e)) as InvalidDriverOptions;
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['agent_heartbeat_timeout', 'max_concurrent_requests', 'fast_track']),
    );
    expect(error.message).toContain('dead_ramdisk_interval');
  });

  it('keeps the liveness probe within the request bound', async () => {
    await expect(
      validateDriverOptions(ipaDriver, { agent_status_timeout: 30, agent_request_timeout: 20 }),
    ).rejects.toThrow(/agent_status_timeout: agent_status_timeout must not exceed agent_request_timeout/);
  });

  it('allows 0 to disable the deploy timeout', async () => {
    const options = await validateDriverOptions(ipaDriver, { deploy_callback_timeout: 0 });
    expect(options.deploy_callback_timeout).toBe(0);
  });
});

describe('the periodic tasks', () => {
  it('are collected with their names, spacings and filters from the options', async () => {
    const harness = await createDriverHarness({
      drivers: [
        {
          package: ipaDriver,
          options: { check_provision_state_interval: 30, dead_ramdisk_check_interval: 90 },
        },
      ],
    });
    try {
      expect(
        harness.tasks.map((task) => [task.name, task.options.spacing, (task as NodeSweepTask).drivers]),
      ).toEqual([
        ['AgentDeploy.checkDeployTimeouts', 30_000, ['ipa']],
        ['AgentDeploy.checkDeadRamdisks', 90_000, ['ipa']],
      ]);
    } finally {
      await harness.close();
    }
  });
});
