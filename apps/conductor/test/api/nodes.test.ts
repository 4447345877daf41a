import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faultOf, startTestConductor, type TestConductor } from '../support/test-conductor.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' };

describe('nodes API', () => {
  let t: TestConductor;
  beforeEach(async () => {
    t = await startTestConductor();
  });
  afterEach(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });

  const api = () => t.conductor.api;
  async function createNode(body: Record<string, unknown>) {
    const response = await api().inject({
      method: 'POST',
      url: '/v1/nodes',
      headers: JSON_HEADERS,
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  it('creates a node in enroll with a Location header, Ironic fields and masked secrets', async () => {
    const response = await api().inject({
      method: 'POST',
      url: '/v1/nodes',
      headers: JSON_HEADERS,
      payload: {
        name: 'node-1',
        driver: 'test-hardware',
        driver_info: { user: 'root', bmc_password: 's3cret' },
      },
    });
    expect(response.statusCode).toBe(201);
    const node = response.json();
    expect(response.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}`);
    expect(node).toMatchObject({
      name: 'node-1',
      driver: 'test-hardware',
      provision_state: 'enroll',
      target_provision_state: null,
      power_state: null,
      maintenance: false,
      reservation: null,
      conductor: 'test-host',
      console_enabled: false,
      driver_info: { user: 'root', bmc_password: '******' },
      created_at: '2026-01-01T12:00:00.000000+00:00',
      updated_at: null,
      links: [
        { href: `http://localhost:80/v1/nodes/${node.uuid}`, rel: 'self' },
        { href: `http://localhost:80/nodes/${node.uuid}`, rel: 'bookmark' },
      ],
    });
    // The secret is kept, only hidden.
    expect((await t.conductor.nodes.get(node.uuid)).driver_info.bmc_password).toBe('s3cret');
  });

  it('refuses bad node bodies with 400 naming the field, and an unknown driver', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x' }, 'driver'],
      [{ driver: 'test-hardware', colour: 'blue' }, "'colour' was unexpected"],
      [{ driver: 'test-hardware', driver_info: 'nope' }, 'driver_info'],
      [{ driver: 'test-hardware', name: 'has space' }, 'name'],
      [{ driver: 'test-hardware', uuid: 'not-a-uuid' }, 'uuid'],
      [{ driver: 'ipmi' }, 'driver ipmi'],
    ];
    for (const [payload, expected] of cases) {
      const response = await api().inject({
        method: 'POST',
        url: '/v1/nodes',
        headers: JSON_HEADERS,
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(faultOf(response.body)).toMatchObject({ faultcode: 'Client', debuginfo: null });
      expect(faultOf(response.body).faultstring).toContain(expected);
    }
    expect(await t.conductor.nodes.list()).toEqual([]);
  });

  it('answers 409 for a duplicate name or UUID', async () => {
    const node = await createNode({ driver: 'test-hardware', name: 'twin' });
    for (const payload of [
      { driver: 'test-hardware', name: 'twin' },
      { driver: 'test-hardware', uuid: node.uuid },
    ]) {
      const response = await api().inject({
        method: 'POST',
        url: '/v1/nodes',
        headers: JSON_HEADERS,
        payload,
      });
      expect(response.statusCode).toBe(409);
      expect(faultOf(response.body).faultstring).toContain('already exists');
    }
  });

  it('shows a node by UUID or name, 404 for an unknown one, and selects fields', async () => {
    const node = await createNode({ driver: 'test-hardware', name: 'shown' });
    expect((await api().inject({ url: `/v1/nodes/${node.uuid}` })).json().name).toBe('shown');
    expect((await api().inject({ url: '/v1/nodes/shown' })).json().uuid).toBe(node.uuid);
    const missing = await api().inject({ url: '/v1/nodes/ghost' });
    expect(missing.statusCode).toBe(404);
    expect(faultOf(missing.body).faultstring).toBe('Node ghost could not be found.');
    const picked = await api().inject({ url: `/v1/nodes/${node.uuid}?fields=uuid,provision_state` });
    expect(Object.keys(picked.json()).sort()).toEqual(['links', 'provision_state', 'uuid']);
    const badField = await api().inject({ url: `/v1/nodes/${node.uuid}?fields=uuid,colour` });
    expect(badField.statusCode).toBe(400);
    expect(faultOf(badField.body).faultstring).toContain('colour');
  });

  it('lists nodes with filters, detail, paging and sorting; bad parameters are 400', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createNode({ driver: 'test-hardware', name: `n${i}` }));
    await t.conductor.repository.create({
      driver: 'test-hardware',
      name: 'managed',
      provision_state: 'manageable',
    });

    const list = (await api().inject({ url: '/v1/nodes' })).json();
    expect(list.nodes).toHaveLength(6);
    expect(Object.keys(list.nodes[0]).sort()).toEqual(
      ['instance_uuid', 'links', 'maintenance', 'name', 'power_state', 'provision_state', 'uuid'].sort(),
    );
    expect(list.next).toBeUndefined();

    const managed = (await api().inject({ url: '/v1/nodes?provision_state=manageable' })).json();
    expect(managed.nodes.map((n: { name: string }) => n.name)).toEqual(['managed']);
    expect((await api().inject({ url: '/v1/nodes?driver=other' })).json().nodes).toEqual([]);
    expect((await api().inject({ url: '/v1/nodes?maintenance=true' })).json().nodes).toEqual([]);

    const detail = (await api().inject({ url: '/v1/nodes/detail?sort_key=name&sort_dir=desc' })).json();
    expect(detail.nodes.map((n: { name: string }) => n.name)).toEqual([
      'n4',
      'n3',
      'n2',
      'n1',
      'n0',
      'managed',
    ]);
    expect(detail.nodes[0].driver_info).toEqual({});

    const page1 = (await api().inject({ url: '/v1/nodes?limit=4&sort_key=name' })).json();
    expect(page1.nodes).toHaveLength(4);
    const next = new URL(page1.next);
    expect(next.pathname).toBe('/v1/nodes');
    expect(next.searchParams.get('marker')).toBe(page1.nodes[3].uuid);
    expect(next.searchParams.get('sort_key')).toBe('name');
    const page2 = (await api().inject({ url: `${next.pathname}${next.search}` })).json();
    expect([...page1.nodes, ...page2.nodes].map((n: { name: string }) => n.name)).toEqual([
      'managed',
      'n0',
      'n1',
      'n2',
      'n3',
      'n4',
    ]);
    expect(page2.next).toBeUndefined();

    for (const [query, field] of [
      ['provision_state=sleeping', 'provision_state'],
      ['sort_key=properties', 'sort_key'],
      ['sort_dir=up', 'sort direction'],
      ['maintenance=perhaps', 'maintenance'],
      ['limit=-1', 'limit'],
      ['marker=nope', 'marker'],
      ['fields=uuid&detail=true', 'detail'],
    ]) {
      const response = await api().inject({ url: `/v1/nodes?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(faultOf(response.body).faultstring).toContain(field);
    }
    const unknownMarker = await api().inject({
      url: '/v1/nodes?marker=00000000-0000-4000-8000-000000000000',
    });
    expect(unknownMarker.statusCode).toBe(404);
  });

  it('patches with JSON Patch under a lock and returns the full node', async () => {
    const node = await createNode({ driver: 'test-hardware', name: 'p', extra: { keep: 1, drop: 2 } });
    await t.clock.advance(5000);
    const response = await api().inject({
      method: 'PATCH',
      url: `/v1/nodes/${node.uuid}`,
      headers: JSON_HEADERS,
      payload: [
        { op: 'add', path: '/driver_info/address', value: '10.0.0.1' },
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'remove', path: '/extra/drop' },
        { op: 'add', path: '/properties/cpus', value: 8 },
        { op: 'replace', path: '/maintenance', value: true },
        { op: 'add', path: '/maintenance_reason', value: 'fan' },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'renamed',
      driver_info: { address: '10.0.0.1' },
      extra: { keep: 1 },
      properties: { cpus: 8 },
      maintenance: true,
      maintenance_reason: 'fan',
      reservation: null,
    });
    const stored = await t.conductor.nodes.get(node.uuid);
    expect(stored.reservation).toBeNull();
    expect(stored.updated_at).not.toBeNull();

    const cleared = await api().inject({
      method: 'PATCH',
      url: '/v1/nodes/renamed',
      headers: JSON_HEADERS,
      payload: [
        { op: 'replace', path: '/maintenance', value: false },
        { op: 'remove', path: '/extra' },
        { op: 'remove', path: '/name' },
      ],
    });
    expect(cleared.json()).toMatchObject({
      maintenance: false,
      maintenance_reason: null,
      extra: {},
      name: null,
    });
  });

  it('refuses bad patches with 400 and writes nothing of them', async () => {
    const node = await createNode({ driver: 'test-hardware', name: 'solid', extra: { a: 1 } });
    const cases: [unknown, string][] = [
      [[{ op: 'replace', path: '/provision_state', value: 'active' }], '/provision_state'],
      [[{ op: 'replace', path: '/uuid', value: node.uuid }], '/uuid'],
      [[{ op: 'add', path: '/reservation', value: 'me' }], '/reservation'],
      [[{ op: 'add', path: '/colour', value: 'red' }], '/colour'],
      [[{ op: 'remove', path: '/extra/missing' }], '/extra/missing'],
      [[{ op: 'move', path: '/extra/a', from: '/extra/b' }], 'op'],
      [
        [
          { op: 'add', path: '/extra/x', value: 1 },
          { op: 'replace', path: '/maintenance', value: 'yes' },
        ],
        'maintenance',
      ],
      [[{ op: 'replace', path: '/name', value: 'bad name' }], 'name'],
      [[{ op: 'replace', path: '/driver', value: 'ipmi' }], 'driver ipmi'],
      [{ op: 'add' }, 'JSON Patch'],
    ];
    for (const [payload, expected] of cases) {
      const response = await api().inject({
        method: 'PATCH',
        url: `/v1/nodes/${node.uuid}`,
        headers: JSON_HEADERS,
        payload: payload as object,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(faultOf(response.body).faultstring).toContain(expected);
    }
    const stored = await t.conductor.nodes.get(node.uuid);
    expect(stored).toMatchObject({ name: 'solid', extra: { a: 1 }, maintenance: false, reservation: null });
  });

  it('answers 409 to a patch of a node another conductor holds, and to a rename onto a taken name', async () => {
    const node = await createNode({ driver: 'test-hardware', name: 'held' });
    await createNode({ driver: 'test-hardware', name: 'taken' });
    await t.conductor.repository.reserve(node.uuid, 'other-conductor');
    const locked = await api().inject({
      method: 'PATCH',
      url: `/v1/nodes/${node.uuid}`,
      headers: JSON_HEADERS,
      payload: [{ op: 'add', path: '/extra/a', value: 1 }],
    });
    expect(locked.statusCode).toBe(409);
    expect(faultOf(locked.body).faultstring).toContain('other-conductor');
    await t.conductor.repository.release(node.uuid, 'other-conductor');
    const clash = await api().inject({
      method: 'PATCH',
      url: `/v1/nodes/${node.uuid}`,
      headers: JSON_HEADERS,
      payload: [{ op: 'replace', path: '/name', value: 'taken' }],
    });
    expect(clash.statusCode).toBe(409);
    expect((await t.conductor.nodes.get(node.uuid)).reservation).toBeNull();
  });

  it('deletes a node (204), but not an active one (409), a locked one (409) or an unknown one (404)', async () => {
    const node = await createNode({ driver: 'test-hardware' });
    const deleted = await api().inject({
      method: 'DELETE',
      url: `/v1/nodes/${node.uuid}`,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await api().inject({ url: `/v1/nodes/${node.uuid}` })).statusCode).toBe(404);

    const active = await t.conductor.repository.create({
      driver: 'test-hardware',
      provision_state: 'active',
    });
    const refused = await api().inject({ method: 'DELETE', url: `/v1/nodes/${active.uuid}` });
    expect(refused.statusCode).toBe(409);
    expect(faultOf(refused.body).faultstring).toContain('"active"');
    expect(await t.conductor.nodes.get(active.uuid)).toMatchObject({ reservation: null });

    const held = await t.conductor.repository.create({ driver: 'test-hardware' });
    await t.conductor.repository.reserve(held.uuid, 'other-conductor');
    expect((await api().inject({ method: 'DELETE', url: `/v1/nodes/${held.uuid}` })).statusCode).toBe(409);
    expect((await api().inject({ method: 'DELETE', url: '/v1/nodes/ghost' })).statusCode).toBe(404);
  });
});
