import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

const PORT_KEYS = [
  'address',
  'created_at',
  'extra',
  'internal_info',
  'is_smartnic',
  'links',
  'local_link_connection',
  'node_uuid',
  'physical_network',
  'portgroup_uuid',
  'pxe_enabled',
  'updated_at',
  'uuid',
];

describe('ports API', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor({ drivers: { enabled: ['@ironic/driver-fake'] } });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const client = apiClient(() => t.conductor.api);
  const node = (name: string, fields: Record<string, unknown> = {}) =>
    t.conductor.repository.create({ driver: 'fake-hardware', name, ...fields });
  async function port(body: Record<string, unknown>) {
    const response = await client.post('/v1/ports', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  it('creates a port with a Location, the MAC address lower case, and every field of 1.82', async () => {
    const n = await node('port-node');
    const response = await client.post('/v1/ports', {
      node_uuid: n.uuid,
      address: '52:54:00:AA:BB:01',
      extra: { slot: 1 },
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(response.headers.location).toBe(`http://localhost:80/v1/ports/${created.uuid}`);
    expect(Object.keys(created).sort()).toEqual(PORT_KEYS);
    expect(created).toMatchObject({
      address: '52:54:00:aa:bb:01',
      node_uuid: n.uuid,
      pxe_enabled: true,
      is_smartnic: false,
      local_link_connection: {},
      internal_info: {},
      physical_network: null,
      portgroup_uuid: null,
      extra: { slot: 1 },
      created_at: '2026-01-01T12:00:00.000000+00:00',
    });
    // Fields of later microversions are left out, and refused when given.
    expect(Object.keys((await client.get(`/v1/ports/${created.uuid}`, '1.17')).json()).sort()).toEqual([
      'address',
      'created_at',
      'extra',
      'links',
      'node_uuid',
      'updated_at',
      'uuid',
    ]);
    expect(
      (
        await client.post(
          '/v1/ports',
          { node_uuid: n.uuid, address: '52:54:00:aa:bb:99', pxe_enabled: false },
          '1.18',
        )
      ).statusCode,
    ).toBe(406);
  });

  it('refuses bad ports in the words of Ironic', async () => {
    const n = await node('bad-port-node');
    await port({ node_uuid: n.uuid, address: '52:54:00:aa:cc:01' });
    for (const [body, status, message] of [
      [
        { node_uuid: n.uuid, address: '52:54:00:AA:CC:01' },
        409,
        'A port with MAC address 52:54:00:aa:cc:01 already exists.',
      ],
      [{ node_uuid: n.uuid, address: 'zz' }, 400, 'Expected valid MAC address for address: zz'],
      [
        { node_uuid: 'bad-port-node', address: '52:54:00:aa:cc:02' },
        400,
        'Expected UUID for node_uuid: bad-port-node',
      ],
      [
        { node_uuid: '00000000-0000-4000-8000-000000000000', address: '52:54:00:aa:cc:02' },
        400,
        'Node 00000000-0000-4000-8000-000000000000 could not be found.',
      ],
      [{ address: '52:54:00:aa:cc:02' }, 400, "Schema error for port: 'node_uuid' is a required property"],
      [
        { node_uuid: n.uuid, address: '52:54:00:aa:cc:02', colour: 'red' },
        400,
        "Schema error for port: Additional properties are not allowed ('colour' was unexpected)",
      ],
      [
        { node_uuid: n.uuid, address: '52:54:00:aa:cc:02', physical_network: '' },
        400,
        'A non-empty value is required when setting physical_network',
      ],
      [
        {
          node_uuid: n.uuid,
          address: '52:54:00:aa:cc:02',
          portgroup_uuid: '00000000-0000-4000-8000-000000000000',
        },
        400,
        'Portgroup 00000000-0000-4000-8000-000000000000 could not be found.',
      ],
    ] as const) {
      const response = await client.post('/v1/ports', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      expect(faultstring(response)).toBe(message);
    }
  });

  it('lists ports by node and address, in detail, paged, and under their node', async () => {
    const a = await node('list-a');
    const b = await node('list-b');
    const first = await port({ node_uuid: a.uuid, address: '52:54:00:dd:00:01' });
    await port({ node_uuid: a.uuid, address: '52:54:00:dd:00:02' });
    await port({ node_uuid: b.uuid, address: '52:54:00:dd:00:03' });
    const byNode = (await client.get('/v1/ports?node=list-a')).json();
    expect(byNode.ports.map((p: { address: string }) => p.address)).toEqual([
      '52:54:00:dd:00:01',
      '52:54:00:dd:00:02',
    ]);
    expect(Object.keys(byNode.ports[0]).sort()).toEqual(['address', 'links', 'uuid']);
    expect((await client.get(`/v1/ports?node_uuid=${b.uuid}`)).json().ports).toHaveLength(1);
    expect(
      (await client.get('/v1/ports?address=52:54:00:DD:00:01'))
        .json()
        .ports.map((p: { uuid: string }) => p.uuid),
    ).toEqual([first.uuid]);
    expect((await client.get('/v1/ports?address=52:54:00:dd:00:99')).json()).toEqual({ ports: [] });
    expect(faultstring(await client.get('/v1/ports?address=zz'))).toBe(
      'Expected valid MAC address for address: zz',
    );
    const detail = (await client.get('/v1/ports/detail?node=list-a')).json();
    expect(Object.keys(detail.ports[0]).sort()).toEqual(PORT_KEYS);
    expect(
      Object.keys((await client.get('/v1/ports?node=list-a&detail=True')).json().ports[0]).sort(),
    ).toEqual(PORT_KEYS);
    expect(
      Object.keys(
        (await client.get('/v1/ports?node=list-a&fields=address,pxe_enabled')).json().ports[0],
      ).sort(),
    ).toEqual(['address', 'links', 'pxe_enabled']);
    expect((await client.get('/v1/nodes/list-a/ports')).json().ports).toHaveLength(2);
    expect((await client.get('/v1/nodes/list-a/ports/detail')).json().ports[0].node_uuid).toBe(a.uuid);
    const page = (await client.get('/v1/ports?node=list-a&limit=1')).json();
    expect(page.next).toBe(
      `http://localhost:80/v1/ports?sort_key=id&sort_dir=asc&node=list-a&fields=uuid,address&limit=1&marker=${first.uuid}`,
    );
    expect((await client.get('/v1/ports?node=ghost')).statusCode).toBe(404);
    expect(faultstring(await client.get('/v1/ports?sort_key=extra'))).toBe(
      'The sort_key value extra is an invalid field for sorting',
    );
    expect(faultstring(await client.get('/v1/ports?colour=red'))).toBe('Unexpected arguments: colour');
    expect(faultstring(await client.get('/v1/ports?fields=colour'))).toBe('Field(s) "colour" are not valid');
  });

  it('updates a port with JSON Patch, under the rules of its node state', async () => {
    const n = await node('patch-node');
    const created = await port({ node_uuid: n.uuid, address: '52:54:00:ee:00:01' });
    const url = `/v1/ports/${created.uuid}`;
    const patched = await client.patch(url, [
      { op: 'add', path: '/extra/slot', value: 2 },
      { op: 'replace', path: '/pxe_enabled', value: 'false' },
      {
        op: 'add',
        path: '/local_link_connection',
        value: { switch_id: '0a:1b:2c:3d:4e:5f', port_id: 'Eth1/1' },
      },
    ]);
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      extra: { slot: 2 },
      pxe_enabled: false,
      local_link_connection: { port_id: 'Eth1/1' },
    });
    expect(
      faultstring(await client.patch(url, [{ op: 'replace', path: '/uuid', value: created.uuid }])),
    ).toContain('Cannot patch /uuid. Only the following can be updated: address, extra,');
    expect(
      faultstring(
        await client.patch(url, [
          { op: 'replace', path: '/node_uuid', value: '00000000-0000-4000-8000-000000000000' },
        ]),
      ),
    ).toBe('Node 00000000-0000-4000-8000-000000000000 could not be found.');
    const other = await port({ node_uuid: n.uuid, address: '52:54:00:ee:00:02' });
    expect(
      (await client.patch(url, [{ op: 'replace', path: '/address', value: other.address }])).statusCode,
    ).toBe(409);
    const active = await node('active-port-node', { provision_state: 'active' });
    const activePort = await port({ node_uuid: active.uuid, address: '52:54:00:ee:00:03' });
    const moved = await client.patch(`/v1/ports/${activePort.uuid}`, [
      { op: 'replace', path: '/address', value: '52:54:00:ee:00:04' },
    ]);
    expect(moved.statusCode).toBe(409);
    expect(faultstring(moved)).toBe(
      `Cannot update hardware address for port ${activePort.uuid} as node ${active.uuid} is active or has instance UUID assigned`,
    );
    expect(
      (
        await client.patch(`/v1/ports/${activePort.uuid}`, [
          { op: 'replace', path: '/pxe_enabled', value: false },
        ])
      ).statusCode,
    ).toBe(409);
    expect(faultstring(await client.get('/v1/ports/not-a-uuid'))).toBe(
      'Expected UUID for port_uuid: not-a-uuid',
    );
  });

  it("deletes ports, and a node's ports go with it", async () => {
    const n = await node('delete-node');
    const a = await port({ node_uuid: n.uuid, address: '52:54:00:ff:00:01' });
    await port({ node_uuid: n.uuid, address: '52:54:00:ff:00:02' });
    expect((await client.delete(`/v1/ports/${a.uuid}`)).statusCode).toBe(204);
    const missing = await client.get(`/v1/ports/${a.uuid}`);
    expect(missing.statusCode).toBe(404);
    expect(faultstring(missing)).toBe(`Port ${a.uuid} could not be found.`);
    await t.conductor.repository.reserve(n.uuid, 'other-conductor');
    const [remaining] = (await client.get('/v1/ports?node=delete-node')).json().ports;
    expect((await client.delete(`/v1/ports/${remaining.uuid}`)).statusCode).toBe(409);
    await t.conductor.repository.release(n.uuid, 'other-conductor');
    expect((await client.delete('/v1/nodes/delete-node')).statusCode).toBe(204);
    expect((await client.get('/v1/ports?address=52:54:00:ff:00:02')).json()).toEqual({ ports: [] });
  });
});
