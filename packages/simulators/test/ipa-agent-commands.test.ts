import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AddIpaAgentOptions,
  type IpaCommandResult,
  type IpaFleet,
  type SimulatedIpaAgent,
  startIpaFleet,
} from '../src/ipa/index.js';
import { FakeClock, FakeIronic, http } from './ipa-fake-ironic.js';

const NODE = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
const MACS = ['52:54:00:12:34:56'];
const IMAGE_INFO = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  urls: ['http://127.0.0.1:8080/images/cirros.img'],
  os_hash_algo: 'sha512',
  os_hash_value: 'f'.repeat(128),
};

let ironic: FakeIronic;
let clock: FakeClock;
let fleet: IpaFleet;
let agent: SimulatedIpaAgent;
let powerOffRequests: string[];

async function runningAgent(options: Partial<AddIpaAgentOptions> = {}): Promise<SimulatedIpaAgent> {
  const added = fleet.addAgent({
    nodeUuid: NODE,
    macs: MACS,
    commandDurationMs: 30_000,
    onPowerOffRequested: (a) => powerOffRequests.push(a.nodeUuid),
    ...options,
  });
  const heartbeat = once(added.events, 'heartbeat');
  added.powerOn();
  await heartbeat;
  return added;
}

function command(name: string, params: Record<string, unknown> = {}, query = '') {
  return http('POST', `${agent.callbackUrl}/v1/commands/?agent_token=${agent.token}${query}`, {
    name,
    params,
  });
}

function listCommands() {
  return http('GET', `${agent.callbackUrl}/v1/commands/`);
}

/** Resolves when the agent reports this command in this status. */
function commandEvent(name: string, status: IpaCommandResult['command_status']) {
  return new Promise<IpaCommandResult>((resolve) => {
    const listener = (result: IpaCommandResult) => {
      if (result.command_name === name && result.command_status === status) {
        agent.events.off('command', listener);
        resolve(result);
      }
    };
    agent.events.on('command', listener);
  });
}

beforeEach(async () => {
  ironic = await FakeIronic.start([{ uuid: NODE, macs: MACS }]);
  clock = new FakeClock();
  fleet = startIpaFleet({ ironicUrl: ironic.url, clock, random: () => 0.5 });
  powerOffRequests = [];
  agent = await runningAgent();
});

afterEach(async () => {
  await fleet.close();
  await ironic.close();
});

describe('GET /v1/status', () => {
  it('reports started_at in epoch seconds and the agent version', async () => {
    const answer = await http('GET', `${agent.callbackUrl}/v1/status`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toEqual({ started_at: clock.now() / 1000, version: '9.4.0' });
  });
});

describe('standby.prepare_image', () => {
  it('wait=false answers RUNNING, ends SUCCEEDED after commandDurationMs, then heartbeats early', async () => {
    const answer = await command('standby.prepare_image', { image_info: IMAGE_INFO }, '&wait=false');
    expect(answer.status).toBe(200);
    const running = answer.body as IpaCommandResult;
    expect(running).toEqual({
      id: expect.any(String),
      command_name: 'prepare_image',
      command_status: 'RUNNING',
      command_error: null,
      command_result: null,
    });

    clock.advance(29_999);
    expect((await listCommands()).body).toEqual({ commands: [running] });

    const done = commandEvent('prepare_image', 'SUCCEEDED');
    const forcedHeartbeat = once(agent.events, 'heartbeat');
    clock.advance(1);
    await done;
    // IPA forces a heartbeat when a command ends (at most every 5 s), long before the 45 s interval.
    const [record] = await forcedHeartbeat;
    expect(record).toMatchObject({ at: clock.now(), accepted: true });
    expect(ironic.heartbeats).toHaveLength(2);
    const list = (await listCommands()).body as { commands: IpaCommandResult[] };
    expect(list.commands).toEqual([
      {
        ...running,
        command_status: 'SUCCEEDED',
        command_result: { result: `prepare_image: image (${IMAGE_INFO.id}) written to device /dev/sda ` },
      },
    ]);
    expect(agent.deployed).toBe(true);
  });

  it('a command ending within 5 s of the last heartbeat forces the next one 5 s after it', async () => {
    await fleet.removeAgent(NODE);
    ironic.wipeToken(NODE);
    agent = await runningAgent({ commandDurationMs: 2000 });
    const firstAt = clock.now();
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    const done = commandEvent('prepare_image', 'SUCCEEDED');
    clock.advance(2000);
    await done;
    expect(clock.nextAt()).toBe(firstAt + 5000);
    const forced = once(agent.events, 'heartbeat');
    clock.advance(3000);
    expect((await forced)[0]).toMatchObject({ at: firstAt + 5000, accepted: true });
  });

  it('wait=true holds the answer until the command ended', async () => {
    const pending = command('standby.prepare_image', { image_info: IMAGE_INFO }, '&wait=true');
    await commandEvent('prepare_image', 'RUNNING');
    clock.advance(30_000);
    const answer = await pending;
    expect((answer.body as IpaCommandResult).command_status).toBe('SUCCEEDED');
  });

  it('rejects image_info without urls as bad parameters (400)', async () => {
    const answer = await command('standby.prepare_image', { image_info: { id: 'x' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      faultcode: 'Client',
      faultstring: "Invalid command parameters: Image is missing 'urls' field.",
    });
    expect((await listCommands()).body).toEqual({ commands: [] });
  });

  it('a second command while it runs is refused: 409 Agent is busy', async () => {
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    const answer = await command('standby.sync');
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      faultcode: 'Client',
      faultstring: 'Agent is busy: executing command prepare_image',
    });
  });
});

describe('other commands', () => {
  it('standby.sync succeeds at once; the list is oldest first', async () => {
    const sync = await command('standby.sync');
    expect(sync.body).toMatchObject({
      command_name: 'sync',
      command_status: 'SUCCEEDED',
      command_result: null,
    });
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    const names = ((await listCommands()).body as { commands: IpaCommandResult[] }).commands.map(
      (c) => c.command_name,
    );
    expect(names).toEqual(['sync', 'prepare_image']);
    expect(agent.commands.map((c) => c.command_name)).toEqual(['sync', 'prepare_image']);
  });

  it('GET /v1/commands/{id} returns one result; an unknown id is 404', async () => {
    const sync = (await command('standby.sync')).body as IpaCommandResult;
    expect((await http('GET', `${agent.callbackUrl}/v1/commands/${sync.id}`)).body).toEqual(sync);
    const missing = await http('GET', `${agent.callbackUrl}/v1/commands/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      faultcode: 'Client',
      faultstring: 'Not found: Command Result with id nope not found.',
    });
  });

  it('log.collect_system_logs returns a base64 gzipped tar of the ramdisk log', async () => {
    const answer = (await command('log.collect_system_logs')).body as IpaCommandResult;
    expect(answer.command_status).toBe('SUCCEEDED');
    const tar = gunzipSync(Buffer.from(String(answer.command_result?.system_logs), 'base64'));
    expect(tar.subarray(0, 23).toString()).toBe('ironic-python-agent.log');
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    expect(tar.toString()).toContain(`Lookup succeeded, node UUID is ${NODE}`);
  });

  it('standby.get_partition_uuids is empty until an image is written', async () => {
    const before = (await command('standby.get_partition_uuids')).body as IpaCommandResult;
    expect(before.command_result).toEqual({});
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    const done = commandEvent('prepare_image', 'SUCCEEDED');
    clock.advance(30_000);
    await done;
    const after = (await command('standby.get_partition_uuids')).body as IpaCommandResult;
    expect(after.command_result).toEqual({ 'root uuid': '0x1be26c0b' });
  });
});

describe('errors', () => {
  it('a wrong or missing token on POST is 401 Token invalid.', async () => {
    const body = { name: 'standby.sync', params: {} };
    for (const query of ['?agent_token=wrong', '']) {
      const answer = await http('POST', `${agent.callbackUrl}/v1/commands/${query}`, body);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ faultcode: 'Client', faultstring: '401 Unauthorized: Token invalid.' });
    }
    expect(agent.commands).toEqual([]);
  });

  it('GETs need no token, until one was sent on a GET', async () => {
    expect((await listCommands()).status).toBe(200);
    const withToken = await http('GET', `${agent.callbackUrl}/v1/commands/?agent_token=${agent.token}`);
    expect(withToken.status).toBe(200);
    expect((await listCommands()).status).toBe(401);
  });

  it('an unknown command is 400, an unknown extension 404', async () => {
    const unknown = await command('standby.fly');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      faultcode: 'Client',
      faultstring: 'Invalid command: Unknown command: fly',
    });
    const noExtension = await command('flight.fly');
    expect(noExtension.status).toBe(404);
    expect(noExtension.body).toEqual({
      faultcode: 'Client',
      faultstring: 'Not found: Extension with id flight not found.',
    });
    const malformed = await command('sync');
    expect(malformed.status).toBe(400);
  });

  it('a body without name or params is 400', async () => {
    const answer = await http('POST', `${agent.callbackUrl}/v1/commands/?agent_token=${agent.token}`, {
      name: 'standby.sync',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      faultcode: 'Client',
      faultstring: '400 Bad Request: Missing or invalid name or params',
    });
  });
});

describe('behaviour switches', () => {
  it('failCommand: the async command ends FAILED with IPA’s CommandExecutionError', async () => {
    agent.failCommand('standby.prepare_image', 'Download of image failed: 404');
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    const failed = commandEvent('prepare_image', 'FAILED');
    clock.advance(30_000);
    const result = await failed;
    expect(result.command_error).toEqual({
      type: 'CommandExecutionError',
      code: 500,
      message: 'Command execution failed',
      details: 'Download of image failed: 404',
    });
    expect(result.command_result).toBeNull();
    expect(agent.deployed).toBe(false);
    const listed = ((await listCommands()).body as { commands: IpaCommandResult[] }).commands;
    expect(listed.at(-1)?.command_status).toBe('FAILED');
  });

  it('failCommand on a sync command: HTTP 200 with FAILED', async () => {
    agent.failCommand('standby.sync', 'sync: I/O error');
    const answer = await command('standby.sync');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      command_status: 'FAILED',
      command_error: { type: 'CommandExecutionError', details: 'sync: I/O error' },
    });
  });

  it('hangCommand: the command stays RUNNING and the agent stays busy', async () => {
    agent.hangCommand('standby.prepare_image');
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    clock.advance(24 * 3_600_000);
    const listed = ((await listCommands()).body as { commands: IpaCommandResult[] }).commands;
    expect(listed.map((c) => c.command_status)).toEqual(['RUNNING']);
    expect((await command('standby.sync')).status).toBe(409);
    expect(agent.state).toBe('running');
  });
});

describe('standby.power_off and the deployed image', () => {
  it('powers the machine off after answering, asks for the BMC to follow, and boots the image next', async () => {
    await command('standby.prepare_image', { image_info: IMAGE_INFO });
    const written = commandEvent('prepare_image', 'SUCCEEDED');
    clock.advance(30_000);
    await written;
    const url = agent.callbackUrl ?? '';

    const requested = once(agent.events, 'powerOffRequested');
    const answer = await command('standby.power_off');
    expect(answer.body).toMatchObject({ command_name: 'power_off', command_status: 'RUNNING' });
    await requested;
    expect(powerOffRequests).toEqual([NODE]);
    expect(agent.state).toBe('off');
    expect(clock.pending).toBe(0);
    await expect(http('GET', `${url}/v1/status`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const lookups = ironic.lookups.length;
    agent.powerOn();
    expect(agent.state).toBe('instance');
    expect(clock.pending).toBe(0);
    expect(ironic.lookups).toHaveLength(lookups);

    agent.powerOff();
    agent.undeploy();
    ironic.wipeToken(NODE);
    const heartbeat = once(agent.events, 'heartbeat');
    agent.powerOn();
    await heartbeat;
    expect(agent.state).toBe('running');
  });

  it('a failing power_off leaves the agent running', async () => {
    agent.failCommand('standby.power_off', 'poweroff: exit 1');
    const failed = commandEvent('power_off', 'FAILED');
    await command('standby.power_off');
    await failed;
    expect(agent.state).toBe('running');
    expect(powerOffRequests).toEqual([]);
  });

  it('standby.run_image reboots: into the ramdisk again while nothing is deployed', async () => {
    const rebooted = once(agent.events, 'state');
    await command('standby.run_image');
    expect(await rebooted).toEqual(['booting']);
    ironic.wipeToken(NODE);
    await once(agent.events, 'heartbeat');
    expect(agent.state).toBe('running');
    expect(agent.commands).toEqual([]);
  });
});
