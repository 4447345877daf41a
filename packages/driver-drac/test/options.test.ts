import { InvalidDriverOptions } from '@ironic/driver-base';
import { createDriverHarness } from '@ironic/driver-base/testing';
import { describe, expect, it } from 'vitest';
import dracDriver, { type DracDriver, RAID_JOB_POLL_TASK } from '../src/index.js';

describe('drac driver options', () => {
  it('defaults to a 120 s poll, one request per BMC, twenty in all, and a 30 s timeout', async () => {
    const harness = await createDriverHarness({ drivers: [dracDriver] });
    try {
      const driver = harness.drivers.get('drac') as DracDriver;
      expect(driver.interfaces.raid.options).toEqual({
        query_raid_config_job_status_interval: 120,
        max_requests_per_bmc: 1,
        max_concurrent_requests: 20,
        request_timeout: 30,
        connection_cache_size: 1000,
      });
      expect(driver.limiter).toMatchObject({ maxPerBmc: 1, maxTotal: 20 });
      expect(driver.redfish.maxClients).toBe(1000);
      expect(driver.redfish.requestTimeoutMs).toBe(30_000);
      const task = harness.tasks.find((t) => t.name === RAID_JOB_POLL_TASK);
      expect(task?.options.spacing).toBe(120_000);
      expect(Object.keys(driver.properties ?? {})).toEqual([
        'redfish_address',
        'redfish_username',
        'redfish_password',
        'redfish_system_id',
        'redfish_verify_ca',
      ]);
    } finally {
      await harness.close();
    }
  });

  it('takes the poll interval in seconds', async () => {
    const harness = await createDriverHarness({
      drivers: [{ package: dracDriver, options: { query_raid_config_job_status_interval: 15 } }],
    });
    try {
      expect(harness.tasks.find((t) => t.name === RAID_JOB_POLL_TASK)?.options.spacing).toBe(15_000);
    } finally {
      await harness.close();
    }
  });

  it.each([
    [{ max_requests_per_bmc: 0 }, 'max_requests_per_bmc'],
    [{ max_concurrent_requests: 2.5 }, 'max_concurrent_requests'],
    [{ query_raid_config_job_status_interval: -1 }, 'query_raid_config_job_status_interval'],
    [{ request_timeout: '30' }, 'request_timeout'],
    [{ connection_cache_size: 0 }, 'connection_cache_size'],
  ])('refuses %j, naming the field', async (options, field) => {
    const failure = createDriverHarness({ drivers: [{ package: dracDriver, options }] });
    await expect(failure).rejects.toBeInstanceOf(InvalidDriverOptions);
    await expect(failure).rejects.toThrow(`Invalid options for driver "drac": ${field}: `);
  });

  it('keeps as many BMC sessions as connection_cache_size says', async () => {
    const harness = await createDriverHarness({
      drivers: [{ package: dracDriver, options: { connection_cache_size: 12_000 } }],
    });
    try {
      expect((harness.drivers.get('drac') as DracDriver).redfish.maxClients).toBe(12_000);
    } finally {
      await harness.close();
    }
  });

  it('refuses an unknown option', async () => {
    await expect(
      createDriverHarness({ drivers: [{ package: dracDriver, options: { max_request_per_bmc: 2 } }] }),
    ).rejects.toThrow(/max_request_per_bmc/);
  });
});
