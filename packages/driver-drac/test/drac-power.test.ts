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
