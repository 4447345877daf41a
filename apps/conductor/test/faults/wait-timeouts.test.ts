import type { ProvisionEvent } from '@ironic/driver-base';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_WAIT_TIMEOUTS_TASK } from '../../src/provisioning/wait-timeouts.js';
import { type PowerRig, startPowerRig } from '../power/support/power-rig.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

const CHECK_INTERVAL_S = 60;
const TIMEOUT_S = 1800;

/** Moves a node through events under an exclusive lock, as a driver's step would. */
async function drive(t: TestConductor, uuid: string, events: ProvisionEvent[]): Promise<void> {
  await t.conductor.nodes.withTask(uuid, { purpose: 'test' }, async (task) => {
    await task.upgradeLock();
    for (const event of events) await task.processEvent(event);
  });
}

describe('conductor.checkWaitTimeouts, for every driver, on the injected clock', () => {
  let t: TestConductor;
  afterEach(async () => {
    await t?.conductor.stop();
  });

  it("fails each waiting state at its timeout with Ironic's message, keeping the target", async () => {
    t = await startTestConductor({ conductor: { id: 'test-conductor', host: 'test-host' } });
    const repo = t.conductor.repository;
    const clean = await repo.create({
      driver: 'test-hardware',
      name: 'clean',
      provision_state: 'manageable',
    });
    const inspect = await repo.create({
      driver: 'test-hardware',
      name: 'inspect',
      provision_state: 'manageable',
    });
    const deploy = await repo.create({
      driver: 'test-hardware',
      name: 'deploy',
      provision_state: 'available',
    });
    const rescue = await repo.create({ driver: 'test-hardware', name: 'rescue', provision_state: 'active' });
    const held = await repo.create({
      driver: 'test-hardware',
      name: 'maintenance',
      provision_state: 'manageable',
    });
    await drive(t, clean.uuid, ['clean', 'wait']);
    await drive(t, inspect.uuid, ['inspect', 'wait']);
    await drive(t, deploy.uuid, ['deploy', 'wait']);
    await drive(t, rescue.uuid, ['rescue', 'wait']);
    await drive(t, held.uuid, ['clean', 'wait']);
    await t.conductor.nodes.withTask(held.uuid, { purpose: 'test' }, async (task) => {
      await task.upgradeLock();
      await task.save({ maintenance: true, maintenance_reason: 'hands off' });
    });

    const targets = new Map<string, string | null>();
    for (const name of ['clean', 'inspect', 'deploy', 'rescue']) {
      targets.set(name, (await t.conductor.nodes.get(name)).target_provision_state);
    }
    await t.advance((TIMEOUT_S - CHECK_INTERVAL_S) * 1000);
    for (const name of ['clean', 'inspect', 'deploy', 'rescue']) {
      expect((await t.conductor.nodes.get(name)).provision_state).toMatch(/wait/);
    }
    await t.advance(CHECK_INTERVAL_S * 1000);

    expect(await t.conductor.nodes.get('clean')).toMatchObject({
      provision_state: 'clean failed',
      target_provision_state: targets.get('clean'),
      last_error:
        'Timeout reached while cleaning the node. Please check if the ramdisk responsible for the cleaning is running on the node. Failed on step {}.',
      reservation: null,
    });
    expect(await t.conductor.nodes.get('inspect')).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'timeout reached while inspecting the node',
    });
    expect(await t.conductor.nodes.get('deploy')).toMatchObject({
      provision_state: 'deploy failed',
      target_provision_state: targets.get('deploy'),
      last_error: `Timeout reached while waiting for callback for node ${deploy.uuid}`,
    });
    expect(await t.conductor.nodes.get('rescue')).toMatchObject({
      provision_state: 'rescue failed',
      last_error: `Timeout reached while waiting for rescue ramdisk callback for node ${rescue.uuid}`,
    });
    // As in Ironic, a node in maintenance is left waiting.
    expect((await t.conductor.nodes.get('maintenance')).provision_state).toBe('clean wait');
    expect(t.conductor.worker.stats().find((s) => s.name === CHECK_WAIT_TIMEOUTS_TASK)).toBeDefined();
  });

  it('honours the configured timeouts, and 0 as no timeout', async () => {
    t = await startTestConductor({
      conductor: {
        id: 'test-conductor',
        host: 'test-host',
        deploy_callback_timeout: 120,
        clean_callback_timeout: 0,
        check_provision_state_interval: 30,
      },
    });
    const deploy = await t.conductor.repository.create({
      driver: 'test-hardware',
      name: 'd',
      provision_state: 'available',
    });
    const clean = await t.conductor.repository.create({
      driver: 'test-hardware',
      name: 'c',
      provision_state: 'manageable',
    });
    await drive(t, deploy.uuid, ['deploy', 'wait']);
    await drive(t, clean.uuid, ['clean', 'wait']);
    await t.advance(90_000);
    expect((await t.conductor.nodes.get('d')).provision_state).toBe('wait call-back');
    await t.advance(30_000);
    expect((await t.conductor.nodes.get('d')).provision_state).toBe('deploy failed');
    await t.advance(10 * TIMEOUT_S * 1000);
    expect((await t.conductor.nodes.get('c')).provision_state).toBe('clean wait');
  });
});

describe('a drac node in clean wait whose BMC fails', () => {
  let rig: PowerRig;
  afterEach(async () => {
    await rig?.close();
  });

  it.each([
    ['is gone', (bmc: { setUnreachable(v: boolean): void }) => bmc.setUnreachable(true)],
    ['answers 500', (bmc: { setServerError(v: boolean): void }) => bmc.setServerError(true)],
  ] as const)(
    'records the error in last_error while it waits, and fails at clean_callback_timeout naming it when the BMC %s',
    async (_, fault) => {
      rig = await startPowerRig({
        conductor: { sync_power_state_interval: 0, clean_callback_timeout: 600 },
        drac: { query_raid_config_job_status_interval: 120 },
      });
      const { bmc } = await rig.addNode(
        'raid',
        { jobDurationMs: 10 * 60_000 },
        {
          target_raid_config: { logical_disks: [{ size_gb: 'MAX', raid_level: '1', is_root_volume: true }] },
        },
      );
      const started = await rig.conductor.api.inject({
        method: 'PUT',
        url: '/v1/nodes/raid/states/provision',
        headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
        payload: {
          target: 'clean',
          clean_steps: [
            { interface: 'raid', step: 'delete_configuration' },
            { interface: 'raid', step: 'create_configuration' },
          ],
        },
      });
      expect(started.statusCode).toBe(202);
      await rig.conductor.background.settled();
      expect((await rig.node('raid')).provision_state).toBe('clean wait');

      fault(bmc as never);
      await rig.advance(120);
      const waiting = await rig.node('raid');
      expect(waiting.provision_state).toBe('clean wait');
      expect(waiting.last_error).toMatch(
        /^DracRAID\.checkRaidConfigJobs failed: .*the BMC at http:\/\/127\.0\.0\.1:\d+ /i,
      );
      expect(waiting.reservation).toBeNull();

      await rig.advance(600);
      const failed = await rig.node('raid');
      expect(failed.provision_state).toBe('clean failed');
      expect(failed.last_error).toMatch(
        /^Timeout reached while cleaning the node\. .* Failed on step \{.*'step': '\w+_configuration'.*\}\. Last error: DracRAID\.checkRaidConfigJobs failed: .*the BMC at /i,
      );
    },
  );
});
