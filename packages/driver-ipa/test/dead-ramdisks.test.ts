import { AGENT_TOKEN_KEY, type NodeSweepTask } from '@ironic/driver-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpaLab, type Machine } from './ipa-lab.js';

const HEARTBEAT_TIMEOUT_S = 300;
const INTERVAL_S = 60;

let lab: IpaLab;
beforeEach(async () => {
  lab = await IpaLab.start({
    agent_heartbeat_timeout: HEARTBEAT_TIMEOUT_S,
    dead_ramdisk_check_interval: INTERVAL_S,
    heartbeat_timeout: 300,
  });
});
afterEach(async () => {
  await lab.close();
});

async function bootFastTrack(count: number): Promise<Machine[]> {
  const machines: Machine[] = [];
  // Powered on with nothing deployed: each ramdisk boots, looks its node up and heartbeats.
  for (let i = 0; i < count; i++) machines.push(await lab.addMachine({ powerOn: true }));
  await lab.advanceUntil(async () => {
    const nodes = await Promise.all(machines.map((m) => lab.node(m.uuid)));
    return nodes.every((node) => typeof node.driver_internal_info.agent_url === 'string');
  }, 120_000);
  return machines;
}

describe('checkDeadRamdisks', () => {
  it('finds exactly the 10 dead ramdisks among 50 fast-track nodes and powers only those off', async () => {
    const machines = await bootFastTrack(50);
    for (const machine of machines) expect(machine.agent.state).toBe('running');
    const dead = new Set(machines.filter((_, i) => i % 5 === 2).map((m) => m.uuid));
    expect(dead.size).toBe(10);
    const powerEvents = new Map<string, string[]>();
    for (const machine of machines) {
      const events: string[] = [];
      powerEvents.set(machine.uuid, events);
      machine.bmc.events.on('power', (state) => events.push(state));
      if (dead.has(machine.uuid)) machine.agent.die();
    }
    const diedAt = lab.clock.now();

    // Before agent_heartbeat_timeout has passed, no ramdisk is suspected.
    await lab.harness.advance((HEARTBEAT_TIMEOUT_S - INTERVAL_S) * 1000);
    for (const machine of machines) {
      expect((await lab.node(machine.uuid)).driver_internal_info.agent_url).toBeTypeOf('string');
    }

    await lab.harness.advance(3 * INTERVAL_S * 1000);
    expect(lab.clock.now() - diedAt).toBeGreaterThan(HEARTBEAT_TIMEOUT_S * 1000);
    for (const machine of machines) {
      const node = await lab.node(machine.uuid);
      expect(node.provision_state).toBe('available');
      if (dead.has(machine.uuid)) {
        expect(node.driver_internal_info.agent_url).toBeUndefined();
        expect(node.driver_internal_info[AGENT_TOKEN_KEY]).toBeUndefined();
        expect(node.driver_internal_info.agent_last_heartbeat).toBeUndefined();
        expect(node.power_state).toBe('power off');
        expect(machine.bmc.powerState).toBe('Off');
        expect(powerEvents.get(machine.uuid)).toEqual(['Off']);
      } else {
        expect(node.driver_internal_info.agent_url).toBe(machine.agent.callbackUrl);
        expect(node.driver_internal_info[AGENT_TOKEN_KEY]).toBe(machine.agent.token);
        expect(node.power_state).toBe('power on');
        expect(machine.bmc.powerState).toBe('On');
        expect(powerEvents.get(machine.uuid)).toEqual([]);
        expect(machine.agent.state).toBe('running');
      }
    }
    const sweep = lab.harness.tasks.find((task) => task.name === 'AgentDeploy.checkDeadRamdisks') as
      | NodeSweepTask
      | undefined;
    expect(sweep?.sweep.handled).toBe(10);
  });

  it('keeps a ramdisk that stopped heartbeating but still answers /v1/status', async () => {
    const [machine] = await bootFastTrack(1);
    if (!machine) throw new Error('no machine');
    // The agent restarts without a power cycle: the token was handed out already, so the new boot gets
    // it masked and its heartbeats are refused — but it is alive and answers.
    machine.agent.die();
    machine.agent.boot();
    await lab.advanceUntil(() => machine.agent.heartbeatFailures > 0, 60_000);
    expect(machine.agent.lastHeartbeat?.status).toBe(400);
    expect(machine.agent.lastHeartbeat?.error).toContain('Agent token is required for heartbeat processing.');

    await lab.harness.advance((HEARTBEAT_TIMEOUT_S + 3 * INTERVAL_S) * 1000);
    const node = await lab.node(machine.uuid);
    expect(Date.parse(node.driver_internal_info.agent_last_heartbeat as string)).toBeLessThan(
      lab.clock.now() - HEARTBEAT_TIMEOUT_S * 1000,
    );
    expect(node.driver_internal_info.agent_url).toBe(machine.agent.callbackUrl);
    expect(node.power_state).toBe('power on');
    expect(machine.bmc.powerState).toBe('On');
    expect(machine.agent.state).toBe('running');
  });

  it('leaves deployed nodes alone', async () => {
    const [machine] = await bootFastTrack(1);
    if (!machine) throw new Error('no machine');
    machine.agent.die();
    // An active node's record says nothing about a ramdisk: the task's state filter keeps it out.
    await lab.harness.repository.reserve(machine.uuid, 'other');
    await lab.harness.repository.update(machine.uuid, 'other', { provision_state: 'active' });
    await lab.harness.repository.release(machine.uuid, 'other');
    await lab.harness.advance((HEARTBEAT_TIMEOUT_S + 3 * INTERVAL_S) * 1000);
    const node = await lab.node(machine.uuid);
    expect(node.driver_internal_info.agent_url).toBeTypeOf('string');
    expect(machine.bmc.powerState).toBe('On');
  });
});
