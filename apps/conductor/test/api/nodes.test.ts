import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, faultstring } from '../support/api-client.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';

/** Every key of a node at microversion 1.82, as Ironic 21.4 shows it. */
const NODE_KEYS_1_82 = [
  'allocation_uuid',
  'automated_clean',
  'bios_interface',
  'boot_interface',
  'boot_mode',
  'chassis_uuid',
  'clean_step',
  'conductor',
  'conductor_group',
  'console_enabled',
  'console_interface',
  'created_at',
  'deploy_interface',
  'deploy_step',
  'description',
  'driver',
  'driver_info',
  'driver_internal_info',
  'extra',
  'fault',
  'inspect_interface',
  'inspection_finished_at',
  'inspection_started_at',
  'instance_info',
  'instance_uuid',
  'last_error',
  'lessee',
  'links',
  'maintenance',
  'maintenance_reason',
  'management_interface',
  'name',
  'network_data',
  'network_interface',
  'owner',
  'portgroups',
  'ports',
  'power_interface',
  'power_state',
  'properties',
  'protected',
  'protected_reason',
  'provision_state',
  'provision_updated_at',
  'raid_config',
  'raid_interface',
  'rescue_interface',
  'reservation',
  'resource_class',
  'retired',
  'retired_reason',
  'secure_boot',
  'shard',
  'states',
  'storage_interface',
  'target_power_state',
  'target_provision_state',
  'target_raid_config',
  'traits',
  'updated_at',
  'uuid',
  'vendor_interface',
  'volume',
];

describe('nodes API', () => {
  let t: TestConductor;
  beforeAll(async () => {
    t = await startTestConductor({ drivers: { enabled: ['@example/driver-test', '@ironic/driver-fake'] } });
  });
  afterAll(async () => {
    await t.conductor.stop({ timeout: 1000 });
  });
  const client = apiClient(() => t.conductor.api);
  async function create(body: Record<string, unknown>, version?: string) {
    const response = await client.post('/v1/nodes', body, version);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  it("creates a node with all of 1.82's fields, Location, defaults from its driver, masked secrets", async () => {
    const response = await client.post('/v1/nodes', {
      name: 'node-1',
      driver: 'fake-hardware',
      driver_info: { user: 'root', bmc_password: 's3cret' },
      resource_class: 'bm-large',
      description: 'rack 4',
      owner: 'team-a',
      automated_clean: 'false',
      storage_interface: 'fake',
    });
    expect(response.statusCode).toBe(201);
    const node = response.json();
    expect(response.headers.location).toBe(`http://localhost:80/v1/nodes/${node.uuid}`);
    expect(Object.keys(node).sort()).toEqual(NODE_KEYS_1_82);
    expect(node).toMatchObject({
      name: 'node-1',
      provision_state: 'enroll',
      power_state: null,
      conductor: 'test-host',
      conductor_group: '',
      console_enabled: false,
      driver_info: { user: 'root', bmc_password: '******' },
      resource_class: 'bm-large',
      automated_clean: false,
      traits: [],
      network_data: {},
      deploy_step: {},
      allocation_uuid: null,
      chassis_uuid: null,
      boot_interface: 'fake',
      storage_interface: 'fake',
      network_interface: 'noop',
      created_at: '2026-01-01T12:00:00.000000+00:00',
      updated_at: null,
    });
    expect((await t.conductor.nodes.get(node.uuid)).driver_info.bmc_password).toBe('s3cret');
    // A driver without choices: each interface its one implementation.
    expect(await create({ driver: 'test-hardware' })).toMatchObject({
      raid_interface: 'test-hardware',
      management_interface: 'no-management',
      storage_interface: 'noop',
    });
  });

  it('refuses bad node bodies with 400 in the words of Ironic', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x' }, "Schema error for node: 'driver' is a required property"],
      [[], "Schema error for node: [] is not of type 'object'"],
      [
        { driver: 'fake-hardware', colour: 'blue' },
        "Schema error for node: Additional properties are not allowed ('colour' was unexpected)",
      ],
      [{ driver: 'fake-hardware', protected: true }, "('protected' was unexpected)"],
      [
        { driver: 'fake-hardware', driver_info: 'nope' },
        "Schema error for node: 'nope' is not of type 'object', 'null'",
      ],
      [{ driver: 'fake-hardware', name: 123 }, "Schema error for node: 123 is not of type 'string', 'null'"],
      [{ driver: 'fake-hardware', name: 'has space' }, "Cannot create node with invalid name 'has space'"],
      [
        { driver: 'fake-hardware', name: 'detail' },
        'The word "detail" is reserved and can not be used as a node name.',
      ],
      [{ driver: 'fake-hardware', uuid: 'not-a-uuid' }, 'Expected UUID for uuid: not-a-uuid'],
      [
        { driver: 'fake-hardware', maintenance: 'perhaps' },
        "Invalid maintenance: Unrecognized value 'perhaps'",
      ],
      [{ driver: 'fake-hardware', resource_class: 'x'.repeat(81) }, 'is too long'],
      [{ driver: 'fake-hardware', network_data: { foo: 1 } }, 'is not valid under any of the given schemas'],
      [
        { driver: 'fake-hardware', chassis_uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123' },
        'Chassis 1be26c0b-03f2-4d2e-ae87-c02d7f33c123 could not be found.',
      ],
      [
        { driver: 'ipmi' },
        'No valid host was found. Reason: No conductor service registered which supports driver ipmi for conductor group "".',
      ],
      [{ driver: 'fake-hardware', conductor_group: 'Rack-B' }, 'for conductor group "rack-b"'],
      [
        { driver: 'fake-hardware', deploy_interface: 'direct' },
        "Could not find the following interface in the 'ironic.hardware.interfaces.deploy' entrypoint: direct. Valid interfaces are ['fake', 'test-hardware'].",
      ],
      [
        { driver: 'test-hardware', raid_interface: 'fake' },
        "raid interface implementation 'fake' is not supported by hardware type test-hardware.",
      ],
    ];
    for (const [payload, expected] of cases) {
      const response = await client.post('/v1/nodes', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(faultstring(response)).toContain(expected);
    }
  });

  it('answers 409 for a duplicate name or UUID', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'twin' });
    const byName = await client.post('/v1/nodes', { driver: 'fake-hardware', name: 'twin' });
    expect(byName.statusCode).toBe(409);
    expect(faultstring(byName)).toBe('A node with name twin already exists.');
    const byUuid = await client.post('/v1/nodes', { driver: 'fake-hardware', uuid: node.uuid });
    expect(faultstring(byUuid)).toBe(`A node with UUID ${node.uuid} already exists.`);
  });

  it('shows a node by UUID or name, selects fields, and refuses unknown ones', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'shown' });
    expect((await client.get(`/v1/nodes/${node.uuid}`)).json().name).toBe('shown');
    expect((await client.get('/v1/nodes/shown/')).json().uuid).toBe(node.uuid);
    const missing = await client.get('/v1/nodes/ghost');
    expect(missing.statusCode).toBe(404);
    expect(faultstring(missing)).toBe('Node ghost could not be found.');
    expect(faultstring(await client.get('/v1/nodes/bad%20name'))).toBe(
      'Expected UUID or name for node: bad name',
    );
    const picked = await client.get(`/v1/nodes/${node.uuid}?fields=uuid,provision_state,conductor,traits`);
    expect(Object.keys(picked.json()).sort()).toEqual([
      'conductor',
      'links',
      'provision_state',
      'traits',
      'uuid',
    ]);
    expect(faultstring(await client.get(`/v1/nodes/${node.uuid}?fields=uuid,colour`))).toBe(
      'Field colour is not a valid field.',
    );
    expect(faultstring(await client.get(`/v1/nodes/${node.uuid}?fields=uuid,created_at`))).toBe(
      'Field created_at is not a valid field.',
    );
  });

  it('lists nodes with filters, detail, paging and sorting; bad parameters are 400', async () => {
    for (let i = 0; i < 5; i++)
      await create({ driver: 'fake-hardware', name: `page-${i}`, resource_class: 'paging' });
    await t.conductor.repository.create({
      driver: 'fake-hardware',
      name: 'page-managed',
      provision_state: 'manageable',
      resource_class: 'paging',
      owner: 'o1',
    });
    const list = (await client.get('/v1/nodes?resource_class=paging')).json();
    expect(list.nodes.map((n: { name: string }) => n.name)).toEqual([
      'page-0',
      'page-1',
      'page-2',
      'page-3',
      'page-4',
      'page-managed',
    ]);
    expect(Object.keys(list.nodes[0]).sort()).toEqual([
      'instance_uuid',
      'links',
      'maintenance',
      'name',
      'power_state',
      'provision_state',
      'uuid',
    ]);
    expect(list.next).toBeUndefined();
    const managed = (await client.get('/v1/nodes?provision_state=manageable&resource_class=paging')).json();
    expect(managed.nodes.map((n: { name: string }) => n.name)).toEqual(['page-managed']);
    expect((await client.get('/v1/nodes?owner=o1')).json().nodes).toHaveLength(1);
    expect((await client.get('/v1/nodes?project=o1')).json().nodes).toHaveLength(1);
    expect((await client.get('/v1/nodes?driver=other')).json().nodes).toEqual([]);
    expect((await client.get('/v1/nodes?associated=true')).json().nodes).toEqual([]);
    expect((await client.get('/v1/nodes?conductor=elsewhere')).json().nodes).toEqual([]);
    const detail = (
      await client.get('/v1/nodes/detail?resource_class=paging&sort_key=name&sort_dir=desc')
    ).json();
    expect(detail.nodes.map((n: { name: string }) => n.name)).toEqual([
      'page-managed',
      'page-4',
      'page-3',
      'page-2',
      'page-1',
      'page-0',
    ]);
    expect(Object.keys(detail.nodes[0]).sort()).toEqual(NODE_KEYS_1_82);
    expect(
      (await client.get('/v1/nodes?detail=True&resource_class=paging')).json().nodes[0].driver_info,
    ).toEqual({});

    const page1 = (await client.get('/v1/nodes?limit=4&sort_key=name&resource_class=paging')).json();
    expect(page1.nodes).toHaveLength(4);
    expect(page1.next).toBe(
      `http://localhost:80/v1/nodes?sort_key=name&sort_dir=asc&resource_class=paging&fields=instance_uuid,maintenance,power_state,provision_state,uuid,name&limit=4&marker=${page1.nodes[3].uuid}`,
    );
    const next = new URL(page1.next);
    const page2 = (await client.get(`${next.pathname}${next.search}`)).json();
    expect([...page1.nodes, ...page2.nodes].map((n: { name: string }) => n.name)).toEqual([
      'page-0',
      'page-1',
      'page-2',
      'page-3',
      'page-4',
      'page-managed',
    ]);
    expect(page2.next).toBeUndefined();

    for (const [query, message] of [
      ['provision_state=sleeping', 'Provision state "sleeping" is not valid'],
      ['sort_key=properties', 'The sort_key value properties is an invalid field for sorting'],
      ['sort_key=colour', 'The sort_key value "colour" is an invalid field for sorting'],
      ['sort_dir=up', "Invalid sort direction: up. Acceptable values are 'asc' or 'desc'"],
      ['maintenance=perhaps', "Invalid maintenance: Unrecognized value 'perhaps'"],
      ['limit=0', 'Limit must be positive'],
      ['limit=abc', 'Expected an integer for limit: abc'],
      ['marker=nope', 'Expected UUID for marker: nope'],
      ['fields=uuid&detail=true', 'Can not specify ?detail=True and fields in the same request.'],
      ['fault=bad', 'Unrecognized fault "bad" is specified'],
      ['instance_uuid=x', 'Expected UUID for instance_uuid: x'],
    ]) {
      const response = await client.get(`/v1/nodes?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(faultstring(response)).toContain(message);
    }
    expect((await client.get('/v1/nodes?marker=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await client.get('/v1/nodes?chassis_uuid=00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
  });

  it('patches with JSON Patch under the lock and answers the node as saved', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'p', extra: { keep: 1, drop: 2 } });
    await t.clock.advance(5000);
    const response = await client.patch(`/v1/nodes/${node.uuid}`, [
      { op: 'add', path: '/driver_info/address', value: '10.0.0.1' },
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'remove', path: '/extra/drop' },
      { op: 'add', path: '/properties/cpus', value: 8 },
      { op: 'replace', path: '/maintenance', value: 'yes' },
      { op: 'add', path: '/description', value: 'd' },
      { op: 'replace', path: '/raid_interface', value: 'no-raid' },
      { op: 'replace', path: '/conductor_group', value: '' },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'renamed',
      driver_info: { address: '10.0.0.1' },
      extra: { keep: 1 },
      properties: { cpus: 8 },
      maintenance: true,
      description: 'd',
      raid_interface: 'no-raid',
      reservation: 'test-conductor',
      updated_at: '2026-01-01T12:00:05.000000+00:00',
    });
    expect((await t.conductor.nodes.get(node.uuid)).reservation).toBeNull();
    const cleared = await client.patch('/v1/nodes/renamed', [
      { op: 'replace', path: '/maintenance', value: false },
      { op: 'remove', path: '/extra' },
      { op: 'remove', path: '/name' },
      { op: 'remove', path: '/raid_interface' },
      { op: 'add', path: '/properties', value: null },
    ]);
    expect(cleared.json()).toMatchObject({
      maintenance: false,
      maintenance_reason: null,
      extra: {},
      properties: {},
      name: null,
      raid_interface: 'fake',
    });
    expect((await client.patch(`/v1/nodes/${node.uuid}`, [])).statusCode).toBe(200);
  });

  it('refuses bad patches with 400 and writes nothing of them', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'solid', extra: { a: 1 } });
    const cases: [unknown, string][] = [
      [
        [{ op: 'replace', path: '/provision_state', value: 'active' }],
        'Cannot patch /provision_state. Only the following can be updated: automated_clean,',
      ],
      [[{ op: 'add', path: '/maintenance_reason', value: 'x' }], 'Cannot patch /maintenance_reason.'],
      [[{ op: 'replace', path: '/traits', value: [] }], 'Cannot patch /traits.'],
      [[{ op: 'add', path: '/colour', value: 'red' }], 'Cannot patch /colour.'],
      [[{ op: 'remove', path: '/extra/missing' }], "can't remove a non-existent object 'missing'"],
      [
        [
          { op: 'add', path: '/extra/x', value: 1 },
          { op: 'replace', path: '/maintenance', value: 'perhaps' },
        ],
        "Invalid maintenance: Unrecognized value 'perhaps'",
      ],
      [
        [{ op: 'replace', path: '/name', value: 'bad name' }],
        `Node ${node.uuid}: Cannot change name to invalid name 'bad name'`,
      ],
      [[{ op: 'replace', path: '/driver', value: 'ipmi' }], 'supports driver ipmi for conductor group ""'],
      [[{ op: 'remove', path: '/driver' }], "Schema error for patch: 'driver' is a required property"],
      [
        [{ op: 'add', path: '/retired_reason', value: 'x' }],
        'The retired_reason field can only be set when retired is True',
      ],
      [
        [{ op: 'add', path: '/deploy_interface', value: 'direct' }],
        "Valid interfaces are ['fake', 'test-hardware']",
      ],
      [[{ op: 'add', path: '/instance_uuid', value: 'nope' }], 'Expected UUID for instance_uuid: nope'],
      [
        [{ op: 'add', path: '/description', value: 'x'.repeat(4097) }],
        'Cannot update node with description exceeding 4096 characters',
      ],
      [{ op: 'add' }, "is not of type 'array'"],
    ];
    for (const [payload, expected] of cases) {
      const response = await client.patch(`/v1/nodes/${node.uuid}`, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(faultstring(response)).toContain(expected);
    }
    expect(await t.conductor.nodes.get(node.uuid)).toMatchObject({
      name: 'solid',
      extra: { a: 1 },
      maintenance: false,
      reservation: null,
    });
    const protectedHere = await client.patch(`/v1/nodes/${node.uuid}`, [
      { op: 'add', path: '/protected', value: true },
    ]);
    expect(protectedHere.statusCode).toBe(409);
    expect(faultstring(protectedHere)).toBe(
      `Node ${node.uuid} can only be made protected in provision states 'active' or 'rescue', the current state is 'enroll'`,
    );
    const reset = await client.patch(`/v1/nodes/${node.uuid}?reset_interfaces=true`, [
      { op: 'add', path: '/extra/b', value: 1 },
    ]);
    expect(faultstring(reset)).toBe(
      "The reset_interfaces parameter can only be used when changing the node's driver.",
    );
  });

  it('changes the driver, keeping or resetting the interfaces as asked', async () => {
    const node = await create({ driver: 'test-hardware', name: 'switcher' });
    const refused = await client.patch('/v1/nodes/switcher', [
      { op: 'replace', path: '/driver', value: 'fake-hardware' },
    ]);
    expect(refused.statusCode).toBe(400);
    // The first interface the new driver lacks, in Ironic's order.
    expect(faultstring(refused)).toBe(
      "boot interface implementation 'no-boot' is not supported by hardware type fake-hardware.",
    );
    const moved = await client.patch('/v1/nodes/switcher?reset_interfaces=true', [
      { op: 'replace', path: '/driver', value: 'fake-hardware' },
    ]);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      driver: 'fake-hardware',
      power_interface: 'fake',
      storage_interface: 'noop',
    });
    expect(node.power_interface).toBe('test-hardware');
  });

  it('answers 409 to a patch of a node held by another conductor, or busy, or onto a taken name', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'held' });
    await create({ driver: 'fake-hardware', name: 'taken' });
    await t.conductor.repository.reserve(node.uuid, 'other-conductor');
    const locked = await client.patch(`/v1/nodes/${node.uuid}`, [{ op: 'add', path: '/extra/a', value: 1 }]);
    expect(locked.statusCode).toBe(409);
    expect(faultstring(locked)).toContain('other-conductor');
    await t.conductor.repository.release(node.uuid, 'other-conductor');
    expect(
      (await client.patch(`/v1/nodes/${node.uuid}`, [{ op: 'replace', path: '/name', value: 'taken' }]))
        .statusCode,
    ).toBe(409);
    const busy = await t.conductor.repository.create({
      driver: 'fake-hardware',
      provision_state: 'deploying',
      target_provision_state: 'active',
    });
    const transition = await client.patch(`/v1/nodes/${busy.uuid}`, [
      { op: 'add', path: '/extra/a', value: 1 },
    ]);
    expect(transition.statusCode).toBe(409);
    expect(faultstring(transition)).toBe(
      `Node ${busy.uuid} can not be updated while a state transition is in progress.`,
    );
    const active = await t.conductor.repository.create({
      driver: 'fake-hardware',
      provision_state: 'active',
    });
    const iface = await client.patch(`/v1/nodes/${active.uuid}`, [
      { op: 'replace', path: '/raid_interface', value: 'no-raid' },
    ]);
    expect(iface.statusCode).toBe(409);
    expect(faultstring(iface)).toContain(
      'can not have raid_interface updated unless it is in one of allowed',
    );
    expect(
      (
        await client.patch(`/v1/nodes/${active.uuid}`, [
          { op: 'add', path: '/protected', value: true },
          { op: 'add', path: '/protected_reason', value: 'prod' },
        ])
      ).json(),
    ).toMatchObject({ protected: true, protected_reason: 'prod' });
    const unprotected = await client.patch(`/v1/nodes/${active.uuid}`, [
      { op: 'add', path: '/protected', value: false },
    ]);
    expect(unprotected.json(), unprotected.body).toMatchObject({ protected: false, protected_reason: null });
  });

  it('deletes a node (204), but not an active, protected, associated or locked one', async () => {
    const node = await create({ driver: 'fake-hardware' });
    const deleted = await t.conductor.api.inject({
      method: 'DELETE',
      url: `/v1/nodes/${node.uuid}`,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await client.get(`/v1/nodes/${node.uuid}`)).statusCode).toBe(404);
    const active = await t.conductor.repository.create({
      driver: 'fake-hardware',
      provision_state: 'active',
    });
    const refused = await client.delete(`/v1/nodes/${active.uuid}`);
    expect(refused.statusCode).toBe(409);
    expect(faultstring(refused)).toBe(
      `Can not delete node "${active.uuid}" while it is in provision state "active". Valid provision states to perform deletion are: "('manageable', 'enroll', 'adopt failed', 'available')", or set the node into maintenance mode`,
    );
    const guarded = await t.conductor.repository.create({
      driver: 'fake-hardware',
      provision_state: 'active',
      protected: true,
      maintenance: true,
    });
    expect((await client.delete(`/v1/nodes/${guarded.uuid}`)).statusCode).toBe(403);
    const associated = await t.conductor.repository.create({
      driver: 'fake-hardware',
      instance_uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
    });
    expect(faultstring(await client.delete(`/v1/nodes/${associated.uuid}`))).toBe(
      `Node ${associated.uuid} is associated with instance 1be26c0b-03f2-4d2e-ae87-c02d7f33c123.`,
    );
    const held = await t.conductor.repository.create({ driver: 'fake-hardware' });
    await t.conductor.repository.reserve(held.uuid, 'other-conductor');
    expect((await client.delete(`/v1/nodes/${held.uuid}`)).statusCode).toBe(409);
    expect((await client.delete('/v1/nodes/ghost')).statusCode).toBe(404);
  });
});
