import { InvalidParameterValue, type PowerInterface, type Task } from '@ironic/driver-base';
import { createDriverHarness, type DriverHarness } from '@ironic/driver-base/testing';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '@ironic/simulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipaDriver, RedfishError } from '../src/index.js';

let harness: DriverHarness;
let bmcs: RedfishFleet;
let bmc: SimulatedBmc;
beforeEach(async () => {
  harness = await createDriverHarness({ drivers: [ipaDriver] });
  bmcs = await startRedfishFleet({ clock: harness.clock });
  bmc = await bmcs.addBmc();
});
afterEach(async () => {
  await bmcs.close();
  await harness.close();
});

async function enroll(driver_info: Record<string, string>) {
  return (await harness.createNode({ driver: 'ipa', driver_info })).uuid;
}

/** Runs `work` with the node's power interface, the node exclusively locked. */
function withPower<T>(uuid: string, work: (power: PowerInterface, task: Task) => Promise<T>): Promise<T> {
  return harness.nodes.withTask(uuid, {}, (task) => work(task.driver.interfaces.power, task));
}

describe('Redfish power', () => {
  it('reads, sets and reboots through ComputerSystem.Reset, saving what the BMC reports', async () => {
    const uuid = await enroll({
      redfish_address: bmc.url,
      redfish_username: bmc.username,
      redfish_password: bmc.password,
    });
    const resets: string[] = [];
    bmc.events.on('power', (state, resetType) => resets.push(`${resetType}->${state}`));
    await withPower(uuid, async (power, task) => {
      expect(await power.getPowerState(task)).toBe('power off');
      await power.setPowerState(task, 'power on');
      // Already on: nothing is sent (an iDRAC answers 409 to a redundant reset).
      await power.setPowerState(task, 'power on');
      await power.reboot(task);
      await power.setPowerState(task, 'power off');
    });
    expect(resets).toEqual(['On->On', 'ForceRestart->Off', 'ForceRestart->On', 'ForceOff->Off']);
    expect((await harness.node(uuid)).power_state).toBe('power off');
  });

  it('logs the Redfish session out when the driver is closed', async () => {
    const uuid = await enroll({
      redfish_address: bmc.url,
      redfish_username: bmc.username,
      redfish_password: bmc.password,
    });
    await withPower(uuid, (power, task) => power.getPowerState(task));
    expect(bmc.sessions).toHaveLength(1);
    await harness.drivers.get('ipa')?.close?.();
    expect(bmc.sessions).toHaveLength(0);
    const deletes = Object.keys(bmc.stats.byRoute).filter((route) =>
      route.startsWith('DELETE /redfish/v1/SessionService/Sessions/'),
    );
    expect(deletes).toHaveLength(1);
  });

  it('gives a power read up when its signal aborts, as a RedfishError', async () => {
    const uuid = await enroll({ redfish_address: bmc.url });
    bmc.setResponseDelay(5_000);
    const controller = new AbortController();
    const read = withPower(uuid, (power, task) => power.getPowerState(task, { signal: controller.signal }));
    controller.abort();
    await expect(read).rejects.toBeInstanceOf(RedfishError);
    bmc.setResponseDelay(0);
  });

  it('reads the power state with one GET of the system once the session exists, over one connection', async () => {
    const uuid = await enroll({
      redfish_address: bmc.url,
      redfish_username: bmc.username,
      redfish_password: bmc.password,
    });
    const read = () =>
      harness.nodes.withTask(uuid, { shared: true }, (task) =>
        task.driver.interfaces.power.getPowerState(task),
      );
    expect(await read()).toBe('power off');
    const before = bmc.stats;
    for (let i = 0; i < 4; i++) expect(await read()).toBe('power off');
    const after = bmc.stats;
    expect(after.requests - before.requests).toBe(4);
    expect(after.byRoute['GET /redfish/v1/Systems/System.Embedded.1']).toBe(5);
    expect(after.connections).toBe(1);
    expect(after.sessionsCreated).toBe(1);
  });

  it('keeps each BMC within redfish_max_requests_per_bmc', async () => {
    const busy = await bmcs.addBmc({ maxConcurrentRequests: 1, responseDelayMs: 5 });
    const uuid = await enroll({
      redfish_address: busy.url,
      redfish_username: busy.username,
      redfish_password: busy.password,
    });
    const reads = await Promise.all(
      Array.from({ length: 6 }, () =>
        harness.nodes.withTask(uuid, { shared: true }, (task) =>
          task.driver.interfaces.power.getPowerState(task),
        ),
      ),
    );
    expect(reads).toEqual(Array(6).fill('power off'));
    expect(busy.stats).toMatchObject({ maxConcurrencySeen: 1, rejected503: 0 });
  });

  it('reports a refused login as a RedfishError with the BMC status', async () => {
    const uuid = await enroll({
      redfish_address: bmc.url,
      redfish_username: 'root',
      redfish_password: 'wrong',
    });
    await withPower(uuid, async (power, task) => {
      const failure = power.getPowerState(task);
      await expect(failure).rejects.toBeInstanceOf(RedfishError);
      await expect(failure).rejects.toMatchObject({
        status: 401,
        code: 'REDFISH_ERROR',
        detail:
          'Unable to complete the operation because an invalid username and/or password is entered, and therefore authentication failed.',
      });
    });
  });

  it('reports an unreachable BMC as a RedfishError without status', async () => {
    const url = bmc.url;
    await bmcs.removeBmc(bmc.id);
    const uuid = await enroll({ redfish_address: url });
    await withPower(uuid, async (power, task) => {
      await expect(power.getPowerState(task)).rejects.toMatchObject({
        name: 'RedfishError',
        status: null,
      });
    });
  });

  it.each([
    [{}, /driver_info\.redfish_address is required/],
    [{ redfish_address: 'ftp://bmc' }, /redfish_address .* must be an http\(s\) URL/],
    [
      { redfish_address: 'https://bmc', redfish_system_id: 'Systems/1' },
      /redfish_system_id .* must be a path/,
    ],
    [
      { redfish_address: 'https://bmc', redfish_verify_ca: 3 },
      /redfish_verify_ca .* must be true, false or the path/,
    ],
  ])('validates driver_info %j, naming the field', async (info, message) => {
    const uuid = await enroll(info as Record<string, string>);
    await withPower(uuid, async (power, task) => {
      expect(() => power.validate?.(task)).toThrow(InvalidParameterValue);
      expect(() => power.validate?.(task)).toThrow(message);
    });
  });
});
