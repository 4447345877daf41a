import { InvalidParameterValue } from '@ironic/driver-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DracRig, startRig } from './rig.js';

describe('power through Redfish ComputerSystem.Reset', () => {
  let rig: DracRig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => rig.close());

  it('reads the power state when an enrolled node is managed', async () => {
    const { bmc } = await rig.addNode('enrolled', { powerState: 'On' }, { provision_state: 'enroll' });
    const node = await rig.harness.provision('enrolled', { target: 'manage' });
    expect(node).toMatchObject({ provision_state: 'manageable', power_state: 'power on', last_error: null });
    expect(bmc.stats.requests).toBeGreaterThan(0);
  });

  it('powers on with On, off with ForceOff, reboots with ForceRestart, and skips a no-op', async () => {
    const { bmc, node } = await rig.addNode('p', { powerState: 'Off' });
    const resets: string[] = [];
    bmc.events.on('power', (state, resetType) => resets.push(`${resetType}:${state}`));
    const power = rig.driver.interfaces.power;
    await rig.harness.nodes.withTask(node.uuid, {}, async (task) => {
      expect(await power.getPowerState(task)).toBe('power off');
      await power.setPowerState(task, 'power on');
      expect(bmc.powerState).toBe('On');
      expect(await power.getPowerState(task)).toBe('power on');
      await power.setPowerState(task, 'power on');
      await power.reboot(task);
      await power.setPowerState(task, 'power off');
      expect(await power.getPowerState(task)).toBe('power off');
      await power.reboot(task);
    });
    expect(resets).toEqual(['On:On', 'ForceRestart:Off', 'ForceRestart:On', 'ForceOff:Off', 'On:On']);
  });

  it('reads the power state with exactly one GET of the system once the session exists, on one connection', async () => {
    const { bmc, node } = await rig.addNode('sync', { powerState: 'On' });
    const power = rig.driver.interfaces.power;
    const read = () =>
      rig.harness.nodes.withTask(node.uuid, { shared: true }, (task) => power.getPowerState(task));
    expect(await read()).toBe('power on');
    expect(bmc.stats.sessionsCreated).toBe(1);
    const before = bmc.stats;
    for (let i = 0; i < 3; i++) {
      const requests = bmc.stats.requests;
      expect(await read()).toBe('power on');
      expect(bmc.stats.requests - requests).toBe(1);
    }
    const after = bmc.stats;
    expect(after.byRoute['GET /redfish/v1/Systems/System.Embedded.1']).toBe(
      (before.byRoute['GET /redfish/v1/Systems/System.Embedded.1'] ?? 0) + 3,
    );
    expect(after.requests - before.requests).toBe(3);
    expect(after.connections).toBe(1);
    expect(after.sessionsCreated).toBe(1);
  });

  it('gives up a power read after request_timeout, as an unreachable BMC', async () => {
    await rig.close();
    rig = await startRig({ request_timeout: 0.05 });
    const { bmc, node } = await rig.addNode('slow', { powerState: 'On' });
    const power = rig.driver.interfaces.power;
    const read = () =>
      rig.harness.nodes.withTask(node.uuid, { shared: true }, (task) => power.getPowerState(task));
    // A BMC that takes 100 times the timeout to answer: the read gives up, however loaded the machine.
    bmc.setResponseDelay(5_000);
    await expect(read()).rejects.toMatchObject({ name: 'BmcUnreachable', timedOut: true });
    bmc.setResponseDelay(0);
  });

  it('gives a power read up when its signal aborts', async () => {
    const { bmc, node } = await rig.addNode('aborted', { powerState: 'On' });
    const power = rig.driver.interfaces.power;
    const controller = new AbortController();
    bmc.setResponseDelay(5_000);
    const read = rig.harness.nodes.withTask(node.uuid, { shared: true }, (task) =>
      power.getPowerState(task, { signal: controller.signal }),
    );
    controller.abort();
    await expect(read).rejects.toMatchObject({ name: 'RequestAborted' });
    bmc.setResponseDelay(0);
  });

  it('logs every Redfish session out when the driver is closed', async () => {
    const first = await rig.addNode('close-1', { powerState: 'On' });
    const second = await rig.addNode('close-2', { powerState: 'Off' });
    const power = rig.driver.interfaces.power;
    for (const { node } of [first, second]) {
      await rig.harness.nodes.withTask(node.uuid, { shared: true }, (task) => power.getPowerState(task));
    }
    expect(first.bmc.sessions).toHaveLength(1);
    expect(second.bmc.sessions).toHaveLength(1);
    await rig.driver.close();
    expect(first.bmc.sessions).toHaveLength(0);
    expect(second.bmc.sessions).toHaveLength(0);
    expect(rig.driver.redfish.stats.logouts).toBe(2);
  });

  it('checks redfish_verify_ca, naming it', async () => {
    const created = await rig.harness.createNode({
      name: 'tls',
      driver: 'drac',
      driver_info: {
        redfish_address: 'https://10.0.0.5',
        redfish_username: 'root',
        redfish_password: 'calvin',
        redfish_verify_ca: 7,
      },
    });
    await rig.harness.nodes.withTask(created.uuid, {}, async (task) => {
      expect(() => rig.driver.interfaces.power.validate(task)).toThrow(
        `Invalid driver_info/redfish_verify_ca 7 on node ${created.uuid}: expected true, false or the path of a CA bundle`,
      );
      await task.save({
        driver_info: { ...task.node.driver_info, redfish_verify_ca: '/nonexistent/ca.pem' },
      });
      await expect(rig.driver.interfaces.power.getPowerState(task)).rejects.toThrow(
        /Invalid driver_info\/redfish_verify_ca on node .*: .*cannot read the CA bundle/,
      );
    });
  });

  it('refuses a node whose driver_info lacks fields, naming them', async () => {
    const created = await rig.harness.createNode({
      name: 'bare',
      driver: 'drac',
      driver_info: { redfish_username: 'root' },
    });
    await rig.harness.nodes.withTask(created.uuid, {}, async (task) => {
      expect(() => rig.driver.interfaces.power.validate(task)).toThrow(InvalidParameterValue);
      expect(() => rig.driver.interfaces.power.validate(task)).toThrow(
        `Missing the following Redfish properties in node ${created.uuid} driver_info: redfish_address, redfish_password`,
      );
    });
    const failed = await rig.harness.provision('bare', { target: 'manage' });
    expect(failed.provision_state).toBe('enroll');
    expect(failed.last_error).toContain('redfish_address, redfish_password');
  });

  it('reports bad credentials clearly when managing a node', async () => {
    await rig.addNode('creds', {}, { provision_state: 'enroll', driver_info: { redfish_username: 'admin' } });
    const failed = await rig.harness.provision('creds', { target: 'manage' });
    expect(failed.provision_state).toBe('enroll');
    expect(failed.last_error).toMatch(/rejected the credentials of user "admin"/);
  });
});
