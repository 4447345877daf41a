import { EventEmitter, once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bindToPower,
  InvalidIpaAgentOption,
  type IpaFleet,
  type IpaPowerState,
  type SimulatedIpaAgent,
  startIpaFleet,
} from '../src/ipa/index.js';
import { FakeClock, FakeIronic, http } from './ipa-fake-ironic.js';

const NODE = '6d85703a-565d-469a-96ce-30b6de53079d';
const MACS = ['52:54:00:AA:BB:01', '52:54:00:aa:bb:02'];

let ironic: FakeIronic;
let clock: FakeClock;
let fleet: IpaFleet;

beforeEach(async () => {
  ironic = await FakeIronic.start([{ uuid: NODE, macs: ['52:54:00:aa:bb:01', '52:54:00:aa:bb:02'] }]);
  clock = new FakeClock();
  fleet = startIpaFleet({ ironicUrl: ironic.url, clock, random: () => 0.5 });
});

afterEach(async () => {
  await fleet.close();
  await ironic.close();
});

/** Powers the agent on and waits until it has sent its first heartbeat. */
async function bootToFirstHeartbeat(agent: SimulatedIpaAgent) {
  const heartbeat = once(agent.events, 'heartbeat');
  agent.powerOn();
  await heartbeat;
}

describe('power on → lookup → heartbeat', () => {
  it('discovers the version, looks the node up with IPA headers, then heartbeats with 1.68', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS, bootDelayMs: 2000 });
    expect(agent.state).toBe('off');
    agent.powerOn();
    expect(agent.state).toBe('booting');
    expect(ironic.requests).toHaveLength(0);

    const heartbeat = once(agent.events, 'heartbeat');
    clock.advance(2000);
    const [record] = await heartbeat;

    const [root, lookup, beat] = ironic.requests;
    expect(root?.method).toBe('GET');
    expect(root?.url.pathname).toBe('/');

    expect(lookup?.url.pathname).toBe('/v1/lookup');
    expect(lookup?.url.search).toBe(
      `?addresses=52%3A54%3A00%3Aaa%3Abb%3A01%2C52%3A54%3A00%3Aaa%3Abb%3A02&node_uuid=${NODE}`,
    );
    expect(lookup?.headers['x-openstack-ironic-api-version']).toBe('1.62');
    expect(lookup?.headers.accept).toBe('application/json');
    expect(lookup?.headers['content-type']).toBe('application/json');

    expect(beat?.method).toBe('POST');
    expect(beat?.url.pathname).toBe(`/v1/heartbeat/${NODE}`);
    expect(beat?.headers['x-openstack-ironic-api-version']).toBe('1.68');
    expect(beat?.headers['content-type']).toBe('application/json');
    expect(beat?.body).toEqual({
      callback_url: agent.callbackUrl,
      agent_token: ironic.tokenOf(NODE),
      agent_version: '9.4.0',
    });
    expect(agent.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect(record).toMatchObject({ status: 202, accepted: true, error: null });
    expect(agent.state).toBe('running');
    expect(agent.token).toBe(ironic.tokenOf(NODE));
    expect(agent.token?.length).toBeGreaterThanOrEqual(32);
    expect(agent.heartbeats).toBe(1);
    expect(agent.heartbeatFailures).toBe(0);
    expect(agent.lastHeartbeatStatus).toBe(202);
  });

  it('heartbeats every heartbeat_timeout × uniform(0.3, 0.6), reusing the first lookup token', async () => {
    ironic.heartbeatTimeout = 100; // random 0.5 → 100 s × 0.45 = 45 s
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    const firstAt = clock.now();
    expect(clock.nextAt()).toBe(firstAt + 45_000);

    for (let beat = 2; beat <= 4; beat += 1) {
      clock.advance(44_999);
      expect(ironic.heartbeats).toHaveLength(beat - 1);
      const next = once(agent.events, 'heartbeat');
      clock.advance(1);
      await next;
      expect(ironic.heartbeats).toHaveLength(beat);
    }
    const tokens = ironic.heartbeats.map((r) => (r.body as { agent_token: string }).agent_token);
    expect(new Set(tokens)).toEqual(new Set([ironic.tokenOf(NODE)]));
    expect(ironic.lookups).toHaveLength(1);
    expect(agent.heartbeats).toBe(4);
  });

  it('uses heartbeatTimeoutSeconds instead of the lookup value when given', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS, heartbeatTimeoutSeconds: 10 });
    await bootToFirstHeartbeat(agent);
    expect(clock.nextAt()).toBe(clock.now() + 4500);
  });

  it('retries a refused lookup with backoff and keeps the token of the first successful one', async () => {
    ironic.lookupFailures.push(404, 409);
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    const failed = once(agent.events, 'lookup');
    agent.powerOn();
    expect(await failed).toEqual([{ status: 404, ok: false }]);
    // attempt 0: max(1 s, 0.5 × 1 s) = 1 s
    expect(clock.nextAt()).toBe(clock.now() + 1000);

    const second = once(agent.events, 'lookup');
    clock.advance(1000);
    expect(await second).toEqual([{ status: 409, ok: false }]);
    // attempt 1: max(1 s, 0.5 × 2 s) = 1 s; attempt 2 would be 2 s
    expect(clock.nextAt()).toBe(clock.now() + 1000);

    const heartbeat = once(agent.events, 'heartbeat');
    clock.advance(1000);
    await heartbeat;
    expect(ironic.lookups).toHaveLength(3);
    expect(agent.lookups).toBe(3);
    expect(agent.token).toBe(ironic.tokenOf(NODE));
    expect(agent.state).toBe('running');
  });

  it('counts a refused heartbeat, keeps going and retries after 5 s × uniform(1, 2)', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    ironic.heartbeatStatus = 400;
    const first = once(agent.events, 'heartbeat');
    agent.powerOn();
    const [record] = await first;
    expect(record).toMatchObject({ status: 400, accepted: false });
    expect(record.error).toBe('Error 400: scripted failure');
    expect(agent.heartbeatFailures).toBe(1);
    expect(agent.lastHeartbeatStatus).toBe(400);
    expect(clock.nextAt()).toBe(clock.now() + 7500);

    ironic.heartbeatStatus = null;
    const second = once(agent.events, 'heartbeat');
    clock.advance(7500);
    expect((await second)[0]).toMatchObject({ status: 202, accepted: true });
    expect(agent.heartbeats).toBe(2);
    expect(agent.heartbeatFailures).toBe(1);
    expect(agent.state).toBe('running');
  });

  it('treats 200 as a failed heartbeat, as IPA does', async () => {
    ironic.heartbeatStatus = 200;
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    expect(agent.heartbeatFailures).toBe(1);
  });

  it('falls back to API 1.31 when GET / fails: no token or version in heartbeats', async () => {
    ironic.rootStatus = 500;
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    expect(ironic.lookups[0]?.headers['x-openstack-ironic-api-version']).toBe('1.31');
    const beat = ironic.heartbeats[0];
    expect(beat?.headers['x-openstack-ironic-api-version']).toBe('1.31');
    expect(beat?.body).toEqual({ callback_url: agent.callbackUrl });
    expect(agent.heartbeatFailures).toBe(1);
  });

  it('asks for no more than Ironic serves', async () => {
    ironic.defaultVersion = '1.65';
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    expect(ironic.lookups[0]?.headers['x-openstack-ironic-api-version']).toBe('1.62');
    expect(ironic.heartbeats[0]?.headers['x-openstack-ironic-api-version']).toBe('1.65');
  });
});

describe('stopping', () => {
  it('die(): connections reset (its port stays taken), no more heartbeats, nothing scheduled', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    const url = agent.callbackUrl ?? '';
    expect((await http('GET', `${url}/v1/status`)).status).toBe(200);

    agent.die();
    expect(agent.state).toBe('dead');
    expect(clock.pending).toBe(0);
    await expect(http('GET', `${url}/v1/status`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    clock.advance(3_600_000);
    expect(ironic.heartbeats).toHaveLength(1);
    expect(agent.heartbeats).toBe(1);
  });

  it('die() drops a request the agent is holding (wait=true on a hung command)', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    agent.hangCommand('standby.prepare_image');
    await bootToFirstHeartbeat(agent);
    const held = http('POST', `${agent.callbackUrl}/v1/commands/?wait=true&agent_token=${agent.token}`, {
      name: 'standby.prepare_image',
      params: { image_info: { id: 'img', urls: ['http://127.0.0.1/img'] } },
    });
    await once(agent.events, 'command');
    agent.die();
    await expect(held).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('power off stops the agent; power on boots a fresh ramdisk that looks up again', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    const url = agent.callbackUrl ?? '';
    agent.powerOff();
    expect(agent.state).toBe('off');
    expect(agent.callbackUrl).toBeNull();
    expect(clock.pending).toBe(0);
    await expect(http('GET', `${url}/v1/status`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    ironic.wipeToken(NODE);
    await bootToFirstHeartbeat(agent);
    expect(ironic.lookups).toHaveLength(2);
    expect(agent.token).toBe(ironic.tokenOf(NODE));
    expect(ironic.heartbeats[1]?.body).toMatchObject({ agent_token: ironic.tokenOf(NODE) });
  });

  it('a dead agent comes back after a power cycle', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    agent.die();
    agent.powerOn();
    expect(agent.state).toBe('dead');
    agent.powerOff();
    ironic.wipeToken(NODE);
    await bootToFirstHeartbeat(agent);
    expect(agent.state).toBe('running');
  });

  it('boot() starts the ramdisk without power events (fast track)', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    const heartbeat = once(agent.events, 'heartbeat');
    agent.boot();
    await heartbeat;
    expect(agent.state).toBe('running');
    agent.boot();
    expect(ironic.lookups).toHaveLength(1);
  });
});

describe('bindToPower', () => {
  class FakeBmc {
    powerState: IpaPowerState = 'Off';
    readonly events = new EventEmitter<{ power: [IpaPowerState] }>();
    set(state: IpaPowerState) {
      this.powerState = state;
      this.events.emit('power', state);
    }
  }

  it('follows the power source and can be unbound', async () => {
    const bmc = new FakeBmc();
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    const unbind = bindToPower(agent, bmc);
    expect(agent.state).toBe('off');

    const heartbeat = once(agent.events, 'heartbeat');
    bmc.set('On');
    await heartbeat;
    expect(agent.state).toBe('running');

    bmc.set('Off');
    expect(agent.state).toBe('off');

    unbind();
    bmc.set('On');
    expect(agent.state).toBe('off');
  });

  it('powers on at once when the source already is On', () => {
    const bmc = new FakeBmc();
    bmc.powerState = 'On';
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS, bootDelayMs: 1000 });
    bindToPower(agent, bmc);
    expect(agent.state).toBe('booting');
  });
});

describe('fleet', () => {
  it('runs many agents, each on its own port', async () => {
    const nodes = Array.from({ length: 20 }, (_, i) => ({
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      macs: [`52:54:00:00:00:${i.toString(16).padStart(2, '0')}`],
    }));
    await ironic.close();
    ironic = await FakeIronic.start(nodes);
    await fleet.close();
    fleet = startIpaFleet({ ironicUrl: ironic.url, clock, random: () => 0.5 });
    const agents = nodes.map((n) => fleet.addAgent({ nodeUuid: n.uuid, macs: n.macs }));
    const beats = agents.map((a) => once(a.events, 'heartbeat'));
    for (const agent of agents) agent.powerOn();
    await Promise.all(beats);
    expect(new Set(agents.map((a) => a.callbackUrl)).size).toBe(20);
    expect(agents.every((a) => a.state === 'running' && a.lastHeartbeatStatus === 202)).toBe(true);
    expect(fleet.get(nodes[3]?.uuid ?? '')).toBe(agents[3]);
  });

  it('boots ramdisks against an Ironic API given after the agents were added', async () => {
    await fleet.close();
    fleet = startIpaFleet({ clock, random: () => 0.5 });
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    expect(() => fleet.setIronicUrl('ironic')).toThrow(/ironicUrl/);
    fleet.setIronicUrl(ironic.url);
    await bootToFirstHeartbeat(agent);
    expect(agent.lastHeartbeatStatus).toBe(202);
    expect(ironic.requests.some((request) => request.url.pathname === '/v1/lookup')).toBe(true);
  });

  it('rejects bad options, naming them', () => {
    expect(() => fleet.addAgent({ nodeUuid: 'node-1', macs: MACS })).toThrow(InvalidIpaAgentOption);
    expect(() => fleet.addAgent({ nodeUuid: NODE, macs: ['nope'] })).toThrow(/macs\[0\]/);
    expect(() => fleet.addAgent({ nodeUuid: NODE, macs: [] })).toThrow(/macs/);
    expect(() => fleet.addAgent({ nodeUuid: NODE, macs: MACS, bootDelayMs: -1 })).toThrow(/bootDelayMs/);
    expect(() => startIpaFleet({ ironicUrl: 'ironic' })).toThrow(/ironicUrl/);
    fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    expect(() => fleet.addAgent({ nodeUuid: NODE, macs: MACS })).toThrow(
      expect.objectContaining({ name: 'DuplicateIpaAgent', code: 'DUPLICATE_IPA_AGENT' }),
    );
    const agent = fleet.get(NODE);
    expect(() => agent?.hangCommand('standby.nope')).toThrow(
      expect.objectContaining({ name: 'InvalidIpaAgentOption', option: 'command' }),
    );
  });

  it('close() stops every agent and refuses new ones', async () => {
    const agent = fleet.addAgent({ nodeUuid: NODE, macs: MACS });
    await bootToFirstHeartbeat(agent);
    const url = agent.callbackUrl ?? '';
    await fleet.close();
    expect(agent.state).toBe('off');
    await expect(http('GET', `${url}/v1/status`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(() => fleet.addAgent({ nodeUuid: NODE, macs: MACS })).toThrow(
      expect.objectContaining({ code: 'IPA_FLEET_CLOSED' }),
    );
    expect(() => agent.powerOn()).toThrow(expect.objectContaining({ name: 'IpaFleetClosed' }));
  });
});
