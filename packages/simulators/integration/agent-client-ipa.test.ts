// The IPA agent simulator driven by Ironic's own AgentClient (python3-ironic 21.4), as the conductor
// drives a ramdisk: commands with the agent token, status without it, a long image write, the agent's
// errors as Ironic's exceptions. The agent looks its node up in, and heartbeats to, a small Ironic API.
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IpaFleet, type SimulatedIpaAgent, startIpaFleet } from '../src/ipa/index.js';
import { FakeClock, FakeIronic } from '../test/ipa-fake-ironic.js';
import { pythonPeer } from './support/peers.js';
import { PythonScript } from './support/python-script.js';

const ironicPeer = pythonPeer(['ironic.drivers.modules.agent_client'], 'python3-ironic');
const NODE = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
const IMAGE = 'a1b2c3d4-0000-4000-8000-000000000001';
const WRITE_MS = 30_000;

describe.skipIf(ironicPeer.skip)("Ironic's AgentClient against the IPA agent simulator", () => {
  let ironic: FakeIronic;
  let clock: FakeClock;
  let fleet: IpaFleet;
  let agent: SimulatedIpaAgent;
  let script: PythonScript | undefined;
  const powerOffs: string[] = [];

  beforeEach(async () => {
    ironicPeer.assertPresent();
    ironic = await FakeIronic.start([{ uuid: NODE, macs: ['52:54:00:12:34:56'] }]);
    clock = new FakeClock();
    fleet = startIpaFleet({ ironicUrl: ironic.url, clock, random: () => 0.5 });
    agent = fleet.addAgent({
      nodeUuid: NODE,
      macs: ['52:54:00:12:34:56'],
      commandDurationMs: WRITE_MS,
      onPowerOffRequested: (a) => powerOffs.push(a.nodeUuid),
    });
    const heartbeat = once(agent.events, 'heartbeat');
    agent.powerOn();
    await heartbeat;
  });
  afterEach(async () => {
    script?.kill();
    await fleet?.close();
    await ironic?.close();
  });

  it('runs commands, reports their status, and raises Ironic’s exceptions for the agent’s errors', async () => {
    script = new PythonScript(ironicPeer.python as string, 'agent_client.py', [
      String(agent.callbackUrl),
      String(agent.token),
      NODE,
      IMAGE,
    ]);
    expect(await script.next('status-before')).toMatchObject({ result: [] });
    const prepared = await script.next('prepare-image');
    expect(prepared.result).toMatchObject({ command_name: 'prepare_image', command_status: 'RUNNING' });
    expect(await script.next('last-while-running')).toMatchObject({
      result: { command_name: 'prepare_image', command_status: 'RUNNING', command_error: null },
    });
    const busy = await script.next('sync-while-busy');
    expect(busy).toMatchObject({ error: 'AgentInProgress' });
    expect(busy.message).toContain('Agent is busy');

    await script.next('waiting');
    clock.advance(WRITE_MS);
    script.send('written');
    expect(await script.next('last-when-done')).toMatchObject({
      result: {
        command_name: 'prepare_image',
        command_status: 'SUCCEEDED',
        command_result: { result: `prepare_image: image (${IMAGE}) written to device /dev/sda ` },
      },
    });
    expect(await script.next('sync')).toMatchObject({
      result: { command_name: 'sync', command_status: 'SUCCEEDED' },
    });
    const partitions = await script.next('partition-uuids');
    expect(partitions).toMatchObject({ result: { command_status: 'SUCCEEDED' } });
    expect((partitions.result as { command_result: Record<string, unknown> }).command_result).toHaveProperty(
      'root uuid',
    );
    const logs = await script.next('system-logs');
    expect(logs).toMatchObject({
      result: { command_name: 'collect_system_logs', command_status: 'SUCCEEDED' },
    });
    expect(
      typeof (logs.result as { command_result: { system_logs: unknown } }).command_result.system_logs,
    ).toBe('string');

    const wrongToken = await script.next('wrong-token');
    expect(wrongToken).toMatchObject({ error: 'AgentAPIError' });
    expect(wrongToken.message).toMatch(/returned HTTP status code 401 with error: .*Token invalid/);
    const unknown = await script.next('unknown-command');
    expect(unknown).toMatchObject({ error: 'AgentAPIError' });
    expect(unknown.message).toMatch(/400 .*Invalid command: Unknown command: nope/);
    const badParams = await script.next('bad-params');
    expect(badParams).toMatchObject({ error: 'AgentAPIError' });
    expect(badParams.message).toMatch(/400 .*Invalid command parameters/);
    expect(await script.next('status-after')).toMatchObject({
      result: ['prepare_image', 'sync', 'get_partition_uuids', 'collect_system_logs'],
    });

    expect(await script.next('power-off')).toMatchObject({ result: { command_name: 'power_off' } });
    await script.next('finished');
    await script.done();
    expect(powerOffs).toEqual([NODE]);
  });
});
