// IPA deploys through the conductor's Ironic API: the ipa driver powers nodes on through simulated Redfish
// BMCs, the simulated ramdisks boot, look their node up and heartbeat to the conductor's real listening
// API (`GET /v1/lookup`, `POST /v1/heartbeat/{node}`), and the heartbeats drive the image writing.
import { ManualClock } from '@ironic/periodic-core';
import {
  bindToPower,
  type IpaFleet,
  type RedfishFleet,
  type SimulatedBmc,
  type SimulatedIpaAgent,
  startIpaFleet,
  startRedfishFleet,
} from '@ironic/simulators';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetConductor, faultString } from './support/fleet-conductor.js';

/** Seconds between heartbeats, at most (what lookup tells the agents; they beat at 0.45 × it here). */
const HEARTBEAT_TIMEOUT_S = 60;
/** How long `standby.prepare_image` runs on the fake clock. */
const WRITE_MS = 20_000;

/** An image as a user gives it in `instance_info` (@ironic/driver-ipa's image-info requirements). */
const IMAGE = {
  image_source: 'http://127.0.0.1:8080/images/ubuntu-24.04.qcow2',
  image_os_hash_algo: 'sha256',
  image_os_hash_value: 'b'.repeat(64),
  image_disk_format: 'qcow2',
};

interface Machine {
  name: string;
  uuid: string;
  bmc: SimulatedBmc;
  agent: SimulatedIpaAgent;
}

describe('IPA deploys through the conductor API, with agents heartbeating to it', () => {
  let clock: ManualClock;
  let fleet: FleetConductor;
  let bmcs: RedfishFleet;
  let agents: IpaFleet;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    bmcs = await startRedfishFleet({ clock });
    fleet = await FleetConductor.start({
      clock,
      listen: true,
      drivers: ['@ironic/driver-ipa'],
      driverOptions: { ipa: { heartbeat_timeout: HEARTBEAT_TIMEOUT_S, fast_track: true } },
      agent: { heartbeat_timeout: HEARTBEAT_TIMEOUT_S, fast_track: true },
    });
    if (fleet.url === undefined) throw new Error('the conductor is not listening');
    // A fixed jitter: every agent heartbeats 0.45 × heartbeat_timeout after its previous one.
    agents = startIpaFleet({ ironicUrl: fleet.url, clock, random: () => 0.5 });
  });
  afterEach(async () => {
    await agents.close();
    await fleet.close();
    await bmcs.close();
  });

  /** A powered-off machine: its BMC, its ramdisk agent bound to the BMC's power, its node in enroll. */
  async function addMachine(index: number): Promise<Machine> {
    const name = `ipa-${index}`;
    const bmc = await bmcs.addBmc({ id: name, powerState: 'Off' });
    const node = await fleet.createNode({
      name,
      driver: 'ipa',
      driver_info: {
        redfish_address: bmc.url,
        redfish_username: bmc.username,
        redfish_password: bmc.password,
        redfish_system_id: '/redfish/v1/Systems/System.Embedded.1',
      },
      instance_info: IMAGE,
    });
    const agent = agents.addAgent({
      nodeUuid: node.uuid,
      macs: [`52:54:00:00:00:${(index + 1).toString(16).padStart(2, '0')}`],
      commandDurationMs: WRITE_MS,
    });
    bindToPower(agent, bmc);
    return { name, uuid: node.uuid, bmc, agent };
  }

  /** enroll → manage → provide: the node is `available`, powered off, with no ramdisk running. */
  async function makeAvailable(machines: readonly Machine[]): Promise<void> {
    await Promise.all(machines.map(({ uuid }) => fleet.provision(uuid, { target: 'manage' })));
    await fleet.settle();
    await Promise.all(machines.map(({ uuid }) => fleet.provision(uuid, { target: 'provide' })));
    await fleet.settle();
    for (const { uuid, agent } of machines) {
      expect(await fleet.node(uuid)).toMatchObject({
        provision_state: 'available',
        power_state: 'power off',
        last_error: null,
      });
      expect(agent.state).toBe('off');
    }
  }

  async function heartbeat(uuid: string, body: Record<string, unknown>) {
    const response = await request(`${fleet.url}/v1/heartbeat/${uuid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.68' },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, fault: text === '' ? null : faultString(JSON.parse(text)) };
  }

  it('deploys a small fleet to active, and fails the one whose image write fails with the agent’s message', async () => {
    const machines = await Promise.all([0, 1, 2, 3].map((index) => addMachine(index)));
    const failing = machines[3] as Machine;
    failing.agent.failCommand('standby.prepare_image', 'Image download failed: HTTP 404 Not Found');
    await makeAvailable(machines);

    await Promise.all(machines.map(({ uuid }) => fleet.provision(uuid, { target: 'active' })));
    await fleet.settle();
    for (const { uuid, bmc, agent } of machines) {
      // The deploy powered the node on: its ramdisk boots and will look the node up.
      expect(await fleet.node(uuid)).toMatchObject({
        provision_state: 'wait call-back',
        target_provision_state: 'active',
      });
      expect(bmc.powerState).toBe('On');
      expect(agent.state).not.toBe('off');
    }

    const fakeTime = await fleet.advanceUntil(
      async () => {
        const counts = await fleet.stateCounts();
        return counts['wait call-back'] === undefined && counts.deploying === undefined;
      },
      { stepMs: 5_000, limitMs: 10 * HEARTBEAT_TIMEOUT_S * 1000 },
    );
    // Lookup and a heartbeat start the write, the first heartbeat after it ends finishes the deploy.
    expect(fakeTime).toBeLessThanOrEqual(WRITE_MS + 2 * HEARTBEAT_TIMEOUT_S * 1000);

    for (const machine of machines.slice(0, 3)) {
      const node = await fleet.node(machine.uuid);
      expect(node).toMatchObject({
        provision_state: 'active',
        target_provision_state: null,
        power_state: 'power on',
        last_error: null,
      });
      // The ramdisk is forgotten: its URL and token went with it.
      expect(node.driver_internal_info.agent_url).toBeUndefined();
      expect(node.driver_internal_info.agent_secret_token).toBeUndefined();
      expect(machine.bmc.powerState).toBe('On');
      expect(machine.agent.state).toBe('instance');
      expect(machine.agent.deployedImage).toBe('ubuntu-24.04.qcow2');
      expect(machine.agent.lookups).toBe(1);
      expect(machine.agent.heartbeats).toBeGreaterThanOrEqual(2);
      expect(machine.agent.heartbeatFailures).toBe(0);
      expect(machine.agent.commands.map((command) => [command.command_name, command.command_status])).toEqual(
        [
          ['prepare_image', 'SUCCEEDED'],
          ['sync', 'SUCCEEDED'],
        ],
      );
    }

    const failed = await fleet.node(failing.uuid);
    expect(failed).toMatchObject({
      provision_state: 'deploy failed',
      power_state: 'power off',
      last_error: `node ${failing.uuid} command status errored: Image download failed: HTTP 404 Not Found`,
    });
    expect(failed.driver_internal_info.agent_url).toBeUndefined();
    expect(failing.bmc.powerState).toBe('Off');
    expect(failing.agent.deployed).toBe(false);
    expect(fleet.backgroundFailures()).toEqual([]);
  });

  it('refuses a heartbeat with a wrong or missing agent token with 400, and the deploy goes on', async () => {
    const machine = await addMachine(0);
    await makeAvailable([machine]);
    await fleet.provision(machine.uuid, { target: 'active' });
    await fleet.settle();

    // The ramdisk looked the node up (receiving the token) and heartbeats.
    await fleet.advanceUntil(() => machine.agent.heartbeats > 0, {
      stepMs: 5_000,
      limitMs: HEARTBEAT_TIMEOUT_S * 1000,
    });
    const token = machine.agent.token;
    expect(token?.length).toBeGreaterThanOrEqual(32);
    const before = await fleet.node(machine.uuid);
    expect(before.provision_state).toBe('wait call-back');
    // The API never shows the token itself.
    expect(before.driver_internal_info.agent_secret_token).toBe('******');

    const wrong = `${token?.slice(0, -1)}${token?.endsWith('A') ? 'B' : 'A'}`;
    const forged = await heartbeat(machine.uuid, {
      callback_url: machine.agent.callbackUrl,
      agent_version: '9.4.0',
      agent_token: wrong,
    });
    expect(forged).toEqual({ status: 400, fault: 'Invalid or missing agent token received.' });
    const missing = await heartbeat(machine.uuid, {
      callback_url: machine.agent.callbackUrl,
      agent_version: '9.4.0',
    });
    expect(missing).toEqual({ status: 400, fault: 'Agent token is required for heartbeat processing.' });
    await fleet.settle();
    expect(await fleet.node(machine.uuid)).toEqual(before);

    // The token is handed out once: a second lookup sees it masked.
    const lookup = await request(`${fleet.url}/v1/lookup?node_uuid=${machine.uuid}`, {
      headers: { accept: 'application/json', 'x-openstack-ironic-api-version': '1.68' },
    });
    expect(lookup.statusCode).toBe(200);
    const found = (await lookup.body.json()) as { node: { uuid: string }; config: { agent_token: string } };
    expect(found.node.uuid).toBe(machine.uuid);
    expect(found.config.agent_token).toBe('******');

    // The genuine agent is undisturbed: its heartbeats finish the deploy.
    await fleet.advanceUntil(async () => (await fleet.node(machine.uuid)).provision_state === 'active', {
      stepMs: 5_000,
      limitMs: 10 * HEARTBEAT_TIMEOUT_S * 1000,
    });
    expect(machine.agent.state).toBe('instance');
    expect(machine.agent.heartbeatFailures).toBe(0);
    expect(fleet.backgroundFailures()).toEqual([]);
  });
});
