import { InvalidDriverOptions } from '@ironic/driver-base';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';
import { loadDriverPackages } from '../../src/drivers/load-drivers.js';
import { ConfigError, DriverLoadError } from '../../src/errors.js';
import { fixtureImporter, startTestConductor } from '../support/test-conductor.js';

describe('loading driver packages by name', () => {
  it('takes the default export, or a drivers list', async () => {
    const loaded = await loadDriverPackages(
      ['@example/driver-test', '@example/driver-twins'],
      fixtureImporter,
    );
    expect(loaded.map((entry) => [entry.packageName, entry.driverPackage.name])).toEqual([
      ['@example/driver-test', 'test-hardware'],
      ['@example/driver-twins', 'twin-a'],
      ['@example/driver-twins', 'twin-b'],
    ]);
  });

  it('fails on a package that is not installed, naming it', async () => {
    const attempt = loadDriverPackages(['@ironic/driver-that-does-not-exist']);
    await expect(attempt).rejects.toBeInstanceOf(DriverLoadError);
    await expect(attempt).rejects.toMatchObject({
      reason: 'missing-package',
      packageName: '@ironic/driver-that-does-not-exist',
      message: expect.stringContaining('"@ironic/driver-that-does-not-exist" is not installed'),
    });
  });

  it('fails on a package that exports no driver', async () => {
    await expect(loadDriverPackages(['@example/no-driver'], fixtureImporter)).rejects.toMatchObject({
      name: 'DriverLoadError',
      reason: 'no-driver-export',
      message: expect.stringContaining('"@example/no-driver" exports no driver'),
    });
  });

  it('fails when two packages define one driver name, naming both', async () => {
    const attempt = loadDriverPackages(
      ['@example/driver-test', '@example/driver-duplicate'],
      fixtureImporter,
    );
    await expect(attempt).rejects.toMatchObject({
      reason: 'duplicate-name',
      message: expect.stringMatching(
        /"test-hardware".*"@example\/driver-test".*"@example\/driver-duplicate"/,
      ),
    });
  });

  it('fails the start on bad driver options, naming the driver and the field', async () => {
    const config = defineConfig({
      database: { data_dir: 'memory://' },
      drivers: { enabled: ['@example/driver-test'], options: { 'test-hardware': { fail_power: 42 } } },
      log: { level: 'silent' },
    });
    const attempt = createConductor(config, { importer: fixtureImporter, logger: pino({ level: 'silent' }) });
    await expect(attempt).rejects.toBeInstanceOf(InvalidDriverOptions);
    await expect(attempt).rejects.toMatchObject({
      driver: 'test-hardware',
      issues: [{ path: 'fail_power' }],
    });
  });

  it('fails the start on options for a driver that is not enabled', async () => {
    const config = defineConfig({
      database: { data_dir: 'memory://' },
      drivers: { enabled: ['@example/driver-test'], options: { 'test-hardwar': {} } },
      log: { level: 'silent' },
    });
    const attempt = createConductor(config, { importer: fixtureImporter, logger: pino({ level: 'silent' }) });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'drivers.options.test-hardwar' }] });
  });

  it('enables @ironic/driver-fake by its package name and runs it through the API', async () => {
    const t = await startTestConductor({ drivers: { enabled: ['@ironic/driver-fake'] } });
    try {
      const api = t.conductor.api;
      const created = await api.inject({
        method: 'POST',
        url: '/v1/nodes',
        headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
        payload: { driver: 'fake-hardware', name: 'fake-1' },
      });
      expect(created.statusCode).toBe(201);
      const put = (url: string, payload: object) =>
        api.inject({
          method: 'PUT',
          url,
          headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
          payload,
        });
      expect((await put('/v1/nodes/fake-1/states/provision', { target: 'manage' })).statusCode).toBe(202);
      await t.conductor.background.settled();
      expect((await put('/v1/nodes/fake-1/states/power', { target: 'power on' })).statusCode).toBe(202);
      await t.conductor.background.settled();
      expect(await t.conductor.nodes.get('fake-1')).toMatchObject({
        provision_state: 'manageable',
        power_state: 'power on',
        target_power_state: null,
        reservation: null,
      });
    } finally {
      await t.conductor.stop({ timeout: 1000 });
    }
  });
});
