import { AGENT_TOKEN_KEY } from '@ironic/driver-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE, IpaLab } from './ipa-lab.js';

let lab: IpaLab;
beforeEach(async () => {
  lab = await IpaLab.start();
});
afterEach(async () => {
  await lab.close();
});

describe('deploying through the agent', () => {
  it('powers the node into the ramdisk, writes the image on heartbeats, and ends active in the instance', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE });
    const waiting = await lab.harness.provision(machine.uuid, { target: 'active' });
    expect(waiting).toMatchObject({ provision_state: 'wait call-back', target_provision_state: 'active' });
    expect(machine.bmc.powerState).toBe('On');
    expect(typeof waiting.driver_internal_info.deploy_started_at).toBe('string');

    await lab.advanceUntil(async () => (await lab.node(machine.uuid)).provision_state === 'active', 600_000);

    const node = await lab.node(machine.uuid);
    expect(node).toMatchObject({
      provision_state: 'active',
      target_provision_state: null,
      power_state: 'power on',
      last_error: null,
    });
    // The ramdisk is gone: its URL and token are forgotten.
    expect(node.driver_internal_info.agent_url).toBeUndefined();
    expect(node.driver_internal_info[AGENT_TOKEN_KEY]).toBeUndefined();
    expect(machine.bmc.powerState).toBe('On');
    expect(machine.agent.state).toBe('instance');
    expect(machine.agent.deployedImage).toBe('ubuntu-24.04.qcow2');
    expect(machine.agent.commands.map((c) => [c.command_name, c.command_status])).toEqual([
      ['prepare_image', 'SUCCEEDED'],
      ['sync', 'SUCCEEDED'],
    ]);

    // Tearing the instance down powers the node off.
    const undeployed = await lab.harness.provision(machine.uuid, { target: 'deleted' });
    expect(undeployed).toMatchObject({
      provision_state: 'available',
      power_state: 'power off',
      instance_info: {},
    });
    expect(machine.bmc.powerState).toBe('Off');
  });

  it('fails the deploy with the agent message when prepare_image fails, and powers the node off', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE });
    machine.agent.failCommand('standby.prepare_image', 'Image download failed: HTTP 404 Not Found');
    await lab.harness.provision(machine.uuid, { target: 'active' });

    await lab.advanceUntil(
      async () => (await lab.node(machine.uuid)).provision_state === 'deploy failed',
      600_000,
    );
    const node = await lab.node(machine.uuid);
    expect(node.last_error).toBe(
      `node ${machine.uuid} command status errored: Image download failed: HTTP 404 Not Found`,
    );
    expect(node.power_state).toBe('power off');
    expect(machine.bmc.powerState).toBe('Off');
    expect(node.driver_internal_info.agent_url).toBeUndefined();
    expect(machine.agent.deployed).toBe(false);
  });

  it('fast track: deploys with the ramdisk already running, without rebooting into it', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE, powerOn: true });
    await lab.advanceUntil(async () => machine.agent.heartbeats > 0, 60_000);
    const token = machine.agent.token;
    const resets: string[] = [];
    machine.bmc.events.on('power', (state, resetType) => resets.push(`${resetType}->${state}`));

    const waiting = await lab.harness.provision(machine.uuid, { target: 'active' });
    expect(waiting.provision_state).toBe('wait call-back');
    expect(waiting.driver_internal_info.agent_secret_token).toBe(token);
    await lab.advanceUntil(async () => (await lab.node(machine.uuid)).provision_state === 'active', 600_000);

    // The only power actions are the ones ending the deploy: off, then on into the instance.
    expect(resets).toEqual(['ForceOff->Off', 'On->On']);
    expect(machine.agent.lookups).toBe(1);
    expect(machine.agent.state).toBe('instance');
  });

  it('without fast track, a running ramdisk is rebooted into a fresh one', async () => {
    await lab.close();
    lab = await IpaLab.start({ fast_track: false });
    const machine = await lab.addMachine({ instance_info: IMAGE, powerOn: true });
    // Lookup is refused in available without fast track: the ramdisk keeps retrying.
    await lab.advanceUntil(() => machine.agent.lookups > 0, 60_000);
    expect(machine.agent.heartbeats).toBe(0);
    const resets: string[] = [];
    machine.bmc.events.on('power', (state, resetType) => resets.push(`${resetType}->${state}`));
    await lab.harness.provision(machine.uuid, { target: 'active' });
    expect(resets).toEqual(['ForceRestart->Off', 'ForceRestart->On']);
    await lab.advanceUntil(async () => (await lab.node(machine.uuid)).provision_state === 'active', 600_000);
  });

  it('only records heartbeats of a node in maintenance', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE });
    await lab.harness.provision(machine.uuid, { target: 'active' });
    const { repository } = lab.harness;
    await repository.reserve(machine.uuid, 'operator');
    await repository.update(machine.uuid, 'operator', {
      maintenance: true,
      maintenance_reason: 'checking cables',
    });
    await repository.release(machine.uuid, 'operator');
    await lab.advanceUntil(() => machine.agent.heartbeats >= 2, 600_000);

    const node = await lab.node(machine.uuid);
    expect(node.provision_state).toBe('wait call-back');
    expect(node.driver_internal_info.agent_url).toBe(machine.agent.callbackUrl);
    expect(node.driver_internal_info.agent_version).toBe('9.4.0');
    expect(machine.agent.commands).toEqual([]);
  });

  it('refuses to deploy without an image, changing nothing', async () => {
    const machine = await lab.addMachine({ instance_info: {} });
    await expect(lab.harness.provision(machine.uuid, { target: 'active' })).rejects.toThrow(
      /instance_info\.image_source is required/,
    );
    expect((await lab.node(machine.uuid)).provision_state).toBe('available');
    expect(machine.bmc.powerState).toBe('Off');
  });
});
