import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConductorServer, startConductorServer } from './support/conductor-server.js';
import { findPeers, peersAvailable } from './support/peers.js';
import { type ReferenceIronic, startReferenceIronic } from './support/reference-ironic.js';

/** One HTTP exchange, as compared between the two servers. */
interface Exchange {
  status: number;
  allow: string | undefined;
  requestId: string | undefined;
  body: unknown;
}

interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  version?: string;
  body?: unknown;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?/g;

/** A body with what differs by nature between two servers replaced: UUIDs, times, URLs, host names, tokens. */
function normalise(text: string, base: string, host: string): unknown {
  if (text === '') return '';
  const replaced = text
    .replaceAll(base, '<base>')
    .replaceAll(host, '<host>')
    .replace(UUID, '<uuid>')
    .replace(TIME, '<time>');
  const body = JSON.parse(replaced) as unknown;
  return sortSets(body);
}

/** Ironic lists some things from sets (enabled interfaces): their order means nothing. */
function sortSets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => sortSets(item));
    return key.startsWith('enabled_') ? [...items].sort() : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, k === 'agent_token' && v !== '******' ? '<token>' : sortSets(v, k)]),
    );
  }
  return value;
}

async function call(base: string, host: string, spec: Call): Promise<Exchange> {
  const response = await request(`${base}${spec.path}`, {
    method: spec.method ?? 'GET',
    headers: {
      accept: 'application/json',
      'x-openstack-ironic-api-version': spec.version ?? '1.82',
      ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    allow: response.headers.allow as string | undefined,
    requestId: response.headers['openstack-request-id'] as string | undefined,
    body: normalise(text, base, host),
  };
}

const enabled = peersAvailable('HTTP contract', { ironicclient: true, ironic: true });

describe.skipIf(!enabled)('the HTTP API, request by request, against Ironic 21.4', () => {
  let ironic: ReferenceIronic;
  let conductor: ConductorServer;
  const ours = (spec: Call) => call(conductor.url, 'integration-host', spec);
  const theirs = (spec: Call) => call(ironic.url, 'ironic-reference', spec);
  /** Sends a request to both and expects the same answer; returns ours. */
  async function same(spec: Call): Promise<Exchange> {
    const [a, b] = [await ours(spec), await theirs(spec)];
    expect(a.requestId, `${spec.path}: Openstack-Request-Id`).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(
      { status: a.status, allow: a.allow, body: a.body },
      `${spec.method ?? 'GET'} ${spec.path} @${spec.version ?? '1.82'}`,
    ).toEqual({
      status: b.status,
      allow: b.allow,
      body: b.body,
    });
    return a;
  }
  /** Creates the same node on both servers. */
  async function nodeOnBoth(body: Record<string, unknown>, version = '1.82') {
    await same({ method: 'POST', path: '/v1/nodes', version, body });
  }

  beforeAll(async () => {
    [ironic, conductor] = await Promise.all([
      startReferenceIronic(findPeers().python as string),
      startConductorServer({ fast_track: false }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ironic?.stop(), conductor?.stop()]);
  });

  it('serves every route with and without a trailing slash', async () => {
    await nodeOnBoth({ driver: 'fake-hardware', name: 'slash-node' });
    for (const path of [
      '/v1/nodes/?limit=1',
      '/v1/drivers/?type=dynamic&detail=True',
      '/v1/drivers/fake-hardware/',
      '/v1/drivers/fake-hardware/properties/',
      '/v1/nodes/slash-node/',
      '/v1/nodes/slash-node/states/',
      '/v1/nodes/slash-node/traits/',
      '/v1/nodes/slash-node/validate/',
      '/v1/ports/',
    ]) {
      await same({ path });
    }
    // Ironic 21.4 answers its own detail lists with a trailing slash 404; this conductor serves them.
    for (const path of ['/v1/nodes/detail/', '/v1/ports/detail/']) {
      expect((await theirs({ path })).status).toBe(404);
      expect((await ours({ path })).status).toBe(200);
    }
  });

  it('refuses unknown arguments, wrong methods and unknown routes as Ironic does', async () => {
    await nodeOnBoth({ driver: 'fake-hardware', name: 'strict-node' });
    for (const spec of [
      { path: '/v1/nodes?foo=1' },
      { path: '/v1/nodes/detail?fields=uuid' },
      { path: '/v1/ports/?foo=1' },
      { path: '/v1/drivers/fake-hardware?detail=True' },
      { method: 'PUT', path: '/v1/nodes/strict-node/states/power', body: { target: 'power on', foo: 0 } },
      { method: 'PUT', path: '/v1/nodes/strict-node/states', body: {} },
      { method: 'PATCH', path: '/v1/drivers', body: [] },
      { path: '/v1/no-such-thing' },
      { path: '/v1/nodes', version: '1.99' },
      { path: '/v1/nodes', version: '2.1' },
      { path: '/v1/nodes', version: 'banana' },
      { path: '/v1/nodes?sort_key=colour' },
      { path: '/v1/nodes?sort_key=properties' },
      { path: '/v1/nodes?limit=0' },
      { path: '/v1/nodes?marker=nope' },
      { path: '/v1/nodes?provision_state=sleeping' },
      { path: '/v1/nodes?maintenance=perhaps' },
      { path: '/v1/nodes?fields=uuid&detail=true' },
      { path: '/v1/nodes?fault=bad' },
      { path: '/v1/nodes/strict-node?fields=uuid,colour' },
      { path: '/v1/nodes/strict-node?fields=uuid,shard', version: '1.81' },
      { path: '/v1/nodes/ghost-node' },
      { method: 'POST', path: '/v1/nodes', body: { driver: 'fake-hardware', colour: 'red' } },
      { method: 'POST', path: '/v1/nodes', body: { driver: 'no-such-driver' } },
      { method: 'POST', path: '/v1/nodes', body: { driver: 'fake-hardware', deploy_interface: 'direct' } },
      { method: 'POST', path: '/v1/nodes', body: { driver: 'fake-hardware', name: 'detail' } },
      { method: 'PATCH', path: '/v1/nodes/strict-node', body: [{ op: 'add', path: '/foo', value: 1 }] },
      { method: 'PATCH', path: '/v1/nodes/strict-node', body: [{ op: 'remove', path: '/extra/missing' }] },
      { method: 'PATCH', path: '/v1/nodes/strict-node', body: { op: 'add' } },
      {
        method: 'PATCH',
        path: '/v1/nodes/strict-node',
        body: [{ op: 'add', path: '/retired_reason', value: 'x' }],
      },
      { method: 'PUT', path: '/v1/nodes/strict-node/states/provision', body: { target: 'fly' } },
      { method: 'PUT', path: '/v1/nodes/strict-node/states/provision', body: {} },
      { method: 'PUT', path: '/v1/nodes/strict-node/states/power', body: { target: 'power on', timeout: 0 } },
      { method: 'PUT', path: '/v1/nodes/strict-node/states/raid', body: { logical_disks: [] } },
      { method: 'PUT', path: '/v1/nodes/strict-node/management/boot_device', body: { boot_device: 'disk' } },
      { method: 'PUT', path: '/v1/nodes/strict-node/traits/bad', body: undefined },
      { method: 'DELETE', path: '/v1/nodes/strict-node/traits/CUSTOM_MISSING' },
      { method: 'POST', path: '/v1/ports', body: { node_uuid: 'strict-node', address: '52:54:00:aa:00:09' } },
      { path: '/v1/ports?address=zz' },
    ] as Call[]) {
      await same(spec);
    }
  });

  it('shows the node of each microversion, and gates what later versions brought', async () => {
    for (const version of ['1.1', '1.5', '1.10', '1.11', '1.31', '1.46', '1.65', '1.78', '1.82']) {
      // Nodes created before 1.11 start available, from 1.11 in enroll; `name` exists from 1.5.
      const created = await same({
        method: 'POST',
        path: '/v1/nodes',
        version,
        body: {
          driver: 'fake-hardware',
          ...(Number(version.split('.')[1]) >= 5 ? { name: `v${version.replace('.', '-')}` } : {}),
        },
      });
      expect(created.status).toBe(201);
    }
    for (const version of ['1.1', '1.5', '1.14', '1.31', '1.46', '1.52', '1.65', '1.78', '1.82']) {
      await same({ path: '/v1/nodes/v1-82', version: Number(version.split('.')[1]) >= 5 ? version : '1.82' });
      await same({ path: '/v1/nodes/v1-82/states', version });
      await same({ path: '/v1/drivers/fake-hardware', version });
    }
    await same({
      method: 'POST',
      path: '/v1/nodes',
      version: '1.1',
      body: { driver: 'fake-hardware', name: 'too-early' },
    });
    await same({
      method: 'PUT',
      path: '/v1/nodes/v1-82/states/power',
      version: '1.26',
      body: { target: 'soft power off' },
    });
    await same({
      method: 'PUT',
      path: '/v1/nodes/v1-82/states/provision',
      version: '1.37',
      body: { target: 'rescue', rescue_password: 'x' },
    });
    await same({ path: '/v1/nodes?fields=uuid', version: '1.7' });
    await same({ path: '/v1/nodes?driver=fake-hardware', version: '1.15' });
  });

  it('answers maintenance, validate, boot device, console, traits and vendor passthru as Ironic', async () => {
    await nodeOnBoth({ driver: 'fake-hardware', name: 'routes-node' });
    const node = '/v1/nodes/routes-node';
    for (const spec of [
      { method: 'PUT', path: `${node}/maintenance`, body: { reason: 'fan' } },
      { path: `${node}?fields=maintenance,maintenance_reason,fault` },
      { method: 'DELETE', path: `${node}/maintenance` },
      { path: `${node}?fields=maintenance,maintenance_reason` },
      { path: `${node}/validate` },
      { path: '/v1/nodes/validate?node=routes-node' },
      { path: `${node}/management/boot_device` },
      { path: `${node}/management/boot_device/supported` },
      {
        method: 'PUT',
        path: `${node}/management/boot_device`,
        body: { boot_device: 'pxe', persistent: true },
      },
      { path: `${node}/states/console` },
      { path: `${node}/traits` },
      { method: 'PUT', path: `${node}/traits`, body: { traits: ['CUSTOM_B', 'CUSTOM_A'] } },
      { method: 'PUT', path: `${node}/traits/HW_CPU_X86_AVX2` },
      { path: `${node}/traits` },
      { method: 'DELETE', path: `${node}/traits/CUSTOM_A` },
      { method: 'DELETE', path: `${node}/traits` },
      { path: `${node}?fields=traits` },
      { path: `${node}/vendor_passthru/methods` },
      { path: '/v1/drivers/fake-hardware/vendor_passthru/methods' },
      { path: '/v1/drivers/fake-hardware/properties' },
      { method: 'POST', path: `${node}/vendor_passthru?method=third_method_sync`, body: { bar: 'meow' } },
      { method: 'POST', path: `${node}/vendor_passthru/third_method_sync`, body: { bar: 'woof' } },
      { method: 'POST', path: `${node}/vendor_passthru?method=second_method`, body: {} },
      { method: 'GET', path: `${node}/vendor_passthru?method=third_method_sync` },
      { method: 'POST', path: `${node}/vendor_passthru?method=nope`, body: {} },
      { method: 'POST', path: `${node}/vendor_passthru`, body: {} },
      { method: 'PATCH', path: node, body: [{ op: 'replace', path: '/raid_interface', value: 'no-raid' }] },
      { path: `${node}/validate` },
    ] as Call[]) {
      await same(spec);
    }
    // The console starts in the background on both; once it has, both show it alike.
    await same({ method: 'PUT', path: `${node}/states/console`, body: { enabled: true } });
    await expect
      .poll(async () => (await theirs({ path: `${node}/states/console` })).body)
      .toEqual({
        console_enabled: true,
        console_info: {},
      });
    await same({ path: `${node}/states/console` });
  });

  it('keeps ports as Ironic does and finds a ramdisk node by MAC address', async () => {
    await nodeOnBoth({ driver: 'fake-hardware', name: 'agent-node' });
    const uuidOf = async (base: string) => {
      const response = await request(`${base}/v1/nodes/agent-node?fields=uuid`, {
        headers: { 'x-openstack-ironic-api-version': '1.82' },
      });
      return ((await response.body.json()) as { uuid: string }).uuid;
    };
    const [ourUuid, theirUuid] = [await uuidOf(conductor.url), await uuidOf(ironic.url)];
    const mac = '52:54:00:AA:00:01';
    const created = [
      await ours({ method: 'POST', path: '/v1/ports', body: { node_uuid: ourUuid, address: mac } }),
      await theirs({ method: 'POST', path: '/v1/ports', body: { node_uuid: theirUuid, address: mac } }),
    ];
    expect(created[0]).toMatchObject({ status: 201, body: created[1]?.body });
    for (const spec of [
      {
        method: 'POST',
        path: '/v1/ports',
        body: { node_uuid: '00000000-0000-4000-8000-000000000000', address: '52:54:00:aa:00:02' },
      },
      { path: `/v1/ports?address=${mac.toLowerCase()}` },
      { path: `/v1/ports?address=${mac.toLowerCase()}&fields=address,node_uuid,pxe_enabled` },
      { path: `/v1/ports/detail?address=${mac.toLowerCase()}` },
      { path: '/v1/ports?node=agent-node&detail=True' },
      { path: '/v1/lookup', version: '1.62' },
      { path: '/v1/lookup?node_uuid=bad', version: '1.62' },
      { path: '/v1/lookup?addresses=zz', version: '1.62' },
      { path: '/v1/lookup?node_uuid=00000000-0000-4000-8000-000000000000', version: '1.62' },
      // Enrolled, and fast track off on both: a ramdisk may not look it up.
      { path: `/v1/lookup?addresses=${mac}`, version: '1.62' },
      {
        method: 'PATCH',
        path: '/v1/nodes/agent-node',
        body: [{ op: 'add', path: '/driver_info/fast_track', value: 'maybe' }],
      },
      { path: `/v1/lookup?addresses=${mac}`, version: '1.62' },
      {
        method: 'PATCH',
        path: '/v1/nodes/agent-node',
        body: [{ op: 'add', path: '/driver_info/fast_track', value: 'true' }],
      },
      // The first lookup hands the token out; the next ones show it masked.
      { path: `/v1/lookup?addresses=${mac},not-a-mac`, version: '1.62' },
      { path: `/v1/lookup?addresses=${mac}`, version: '1.62' },
      { path: '/v1/nodes/agent-node?fields=driver_internal_info' },
      {
        method: 'POST',
        path: '/v1/heartbeat/agent-node',
        version: '1.68',
        body: { callback_url: 'http://127.0.0.1:9999', agent_version: '9.0' },
      },
      {
        method: 'POST',
        path: '/v1/heartbeat/agent-node',
        version: '1.68',
        body: { callback_url: 'http://127.0.0.1:9999', agent_version: '9.0', agent_token: 'wrong' },
      },
    ] as Call[]) {
      await same(spec);
    }
  });
});
