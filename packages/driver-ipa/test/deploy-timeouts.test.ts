import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE, IpaLab } from './ipa-lab.js';

const TIMEOUT_S = 1800;
const INTERVAL_S = 60;

let lab: IpaLab;
beforeEach(async () => {
  lab = await IpaLab.start({
    deploy_callback_timeout: TIMEOUT_S,
    check_provision_state_interval: INTERVAL_S,
  });
});
afterEach(async () => {
  await lab.close();
});

describe('checkDeployTimeouts', () => {
  it('fails a deploy whose agent died mid-deploy once deploy_callback_timeout has passed, and powers it off', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE });
    // The image write never ends, so the node stays in wait call-back while the agent heartbeats.
    machine.agent.hangCommand('standby.prepare_image');
    await lab.harness.provision(machine.uuid, { target: 'active' });
    await lab.advanceUntil(
      () =>
        machine.agent.commands.some(
          (c) => c.command_name === 'prepare_image' && c.command_status === 'RUNNING',
        ),
      60_000,
    );
    // Heartbeats keep the deploy alive well past the timeout's spacing.
    await lab.harness.advance(600_000);
    expect((await lab.node(machine.uuid)).provision_state).toBe('wait call-back');

    machine.agent.die();
    const lastHeartbeat = Date.parse(
      (await lab.node(machine.uuid)).driver_internal_info.agent_last_heartbeat as string,
    );
    const deadline = lastHeartbeat + TIMEOUT_S * 1000;

    // Up to a check interval before the deadline, the node still waits.
    await lab.harness.clock.advanceTo(deadline - INTERVAL_S * 1000);
    await lab.harness.worker.idle();
    expect((await lab.node(machine.uuid)).provision_state).toBe('wait call-back');
    expect(machine.bmc.powerState).toBe('On');

    // The first check after the deadline fails it.
    await lab.harness.advance(2 * INTERVAL_S * 1000);
    const node = await lab.node(machine.uuid);
    expect(node).toMatchObject({
      provision_state: 'deploy failed',
      target_provision_state: 'active',
      power_state: 'power off',
      last_error: `Timeout reached while waiting for callback for node ${machine.uuid}`,
    });
    expect(node.driver_internal_info.agent_url).toBeUndefined();
    expect(node.driver_internal_info.agent_secret_token).toBeUndefined();
    expect(machine.bmc.powerState).toBe('Off');
  });

  it('times out a node whose ramdisk never came up, counting from the deploy start', async () => {
    const machine = await lab.addMachine({ instance_info: IMAGE });
    const started = lab.clock.now();
    await lab.harness.provision(machine.uuid, { target: 'active' });
    // A broken ramdisk: it dies while still trying to look its node up (the lookup met the deploy's lock).
    machine.agent.die();
    expect(machine.agent.heartbeats).toBe(0);
    await lab.harness.advance((TIMEOUT_S - INTERVAL_S) * 1000);
    expect((await lab.node(machine.uuid)).provision_state).toBe('wait call-back');
    await lab.harness.advance(2 * INTERVAL_S * 1000);
    const node = await lab.node(machine.uuid);
    expect(node.provision_state).toBe('deploy failed');
    expect(lab.clock.now() - started).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
    expect(machine.bmc.powerState).toBe('Off');
  });
});
