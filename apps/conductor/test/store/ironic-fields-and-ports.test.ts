import { NodeNotFound } from '@ironic/driver-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import { KyselyPortRepository } from '../../src/store/kysely-port-repository.js';
import { PortAlreadyExists, PortNotFound } from '../../src/store/port.js';
import {
  type Backend,
  openTestDatabase,
  postgresReachable,
  type TestDatabase,
} from '../support/test-databases.js';

const postgresUp = await postgresReachable();
const backends: { backend: Backend; skip: boolean }[] = [
  { backend: 'pglite', skip: false },
  { backend: 'postgres', skip: !postgresUp },
];

describe.each(backends)('the node of 1.82 and its ports on $backend', ({ backend, skip }) => {
  let testDb: TestDatabase;
  let nodes: KyselyNodeRepository;
  let ports: KyselyPortRepository;
  let clock = Date.UTC(2026, 0, 1, 12, 0, 0);

  beforeAll(async () => {
    if (skip) return;
    testDb = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });
  beforeEach(async (context) => {
    if (skip) context.skip();
    await testDb.database.db.deleteFrom('nodes').execute();
    clock = Date.UTC(2026, 0, 1, 12, 0, 0);
    nodes = new KyselyNodeRepository(testDb.database.db, { now: () => clock });
    ports = new KyselyPortRepository(testDb.database.db, { now: () => clock });
  });

  it("keeps every field of Ironic's node, with Ironic's defaults", async () => {
    const node = await nodes.create({
      driver: 'fake-hardware',
      name: 'full',
      boot_interface: 'fake',
      owner: 'team-a',
      traits: ['CUSTOM_B', 'CUSTOM_A'],
      network_data: { links: [], networks: [], services: [] },
      automated_clean: false,
    });
    expect(await nodes.get(node.uuid)).toMatchObject({
      boot_interface: 'fake',
      raid_interface: null,
      owner: 'team-a',
      lessee: null,
      traits: ['CUSTOM_A', 'CUSTOM_B'],
      network_data: { links: [], networks: [], services: [] },
      automated_clean: false,
      conductor_group: '',
      console_enabled: false,
      protected: false,
      retired: false,
      deploy_step: {},
      fault: null,
      shard: null,
      inspection_started_at: null,
    });
  });

  it("filters as Ironic's list does, and orders by creation (`id`) across pages", async () => {
    const made = [];
    for (const [name, fields] of [
      ['c', { owner: 'o', resource_class: 'gold', shard: 's1' }],
      ['a', { lessee: 'o', description: 'rack 4', instance_uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123' }],
      ['b', { retired: true, fault: 'power failure' }],
    ] as const) {
      clock += 1000;
      made.push(await nodes.create({ driver: 'fake-hardware', name, ...fields }));
    }
    const names = async (query: Parameters<KyselyNodeRepository['list']>[0]) =>
      (await nodes.list(query)).map((node) => node.name);
    expect(await names({ sortKey: 'id' })).toEqual(['c', 'a', 'b']);
    expect(await names({ sortKey: 'id', sortDir: 'desc' })).toEqual(['b', 'a', 'c']);
    expect(await names({ sortKey: 'id', limit: 1, marker: made[0]?.uuid })).toEqual(['a']);
    expect(await names({ sortKey: 'id', sortDir: 'desc', marker: made[2]?.uuid })).toEqual(['a', 'c']);
    expect(await names({ project: 'o', sortKey: 'name' })).toEqual(['a', 'c']);
    expect(await names({ owner: 'o' })).toEqual(['c']);
    expect(await names({ resourceClass: 'gold' })).toEqual(['c']);
    expect(await names({ associated: true })).toEqual(['a']);
    expect(await names({ associated: false, sortKey: 'name' })).toEqual(['b', 'c']);
    expect(await names({ instanceUuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123' })).toEqual(['a']);
    expect(await names({ retired: true })).toEqual(['b']);
    expect(await names({ fault: 'power failure' })).toEqual(['b']);
    expect(await names({ shard: ['s1', 's9'] })).toEqual(['c']);
    expect(await names({ shard: [] })).toEqual([]);
    expect(await names({ sharded: false, sortKey: 'name' })).toEqual(['a', 'b']);
    expect(await names({ descriptionContains: 'ack' })).toEqual(['a']);
    expect(await names({ conductorGroup: '', sortKey: 'name' })).toEqual(['a', 'b', 'c']);
    // A sort on a column with NULLs pages through all of them.
    const byOwner = [];
    let marker: string | undefined;
    for (;;) {
      const page = await nodes.list({ sortKey: 'owner', limit: 1, ...(marker ? { marker } : {}) });
      if (page.length === 0) break;
      byOwner.push(page[0]?.name);
      marker = page[0]?.uuid;
    }
    expect(byOwner).toHaveLength(3);
    expect(byOwner[0]).toBe('c');
  });

  it('sets the inspection times with the provision state, as Ironic database does', async () => {
    const node = await nodes.create({ driver: 'fake-hardware', provision_state: 'manageable' });
    await nodes.reserve(node.uuid, 'me');
    clock += 1000;
    const started = await nodes.update(node.uuid, 'me', { provision_state: 'inspecting' });
    expect(started).toMatchObject({
      inspection_started_at: '2026-01-01T12:00:01.000000+00:00',
      inspection_finished_at: null,
    });
    await nodes.update(node.uuid, 'me', { provision_state: 'inspect wait' });
    clock += 1000;
    expect(
      await nodes.update(node.uuid, 'me', { provision_state: 'manageable', traits: ['Z', 'A'] }),
    ).toMatchObject({
      inspection_started_at: null,
      inspection_finished_at: '2026-01-01T12:00:02.000000+00:00',
      traits: ['A', 'Z'],
    });
    // Managed again without an inspection: the times stay.
    await nodes.update(node.uuid, 'me', { provision_state: 'cleaning' });
    expect(
      (await nodes.update(node.uuid, 'me', { provision_state: 'manageable' })).inspection_finished_at,
    ).toBe('2026-01-01T12:00:02.000000+00:00');
  });

  it('keeps ports by MAC address, unique, listed by node and address, gone with their node', async () => {
    const a = await nodes.create({ driver: 'fake-hardware', name: 'pa' });
    const b = await nodes.create({ driver: 'fake-hardware', name: 'pb' });
    const first = await ports.create({ node_uuid: a.uuid, address: '52:54:00:00:00:01', extra: { slot: 1 } });
    expect(first).toMatchObject({
      pxe_enabled: true,
      is_smartnic: false,
      local_link_connection: {},
      internal_info: {},
      updated_at: null,
    });
    await ports.create({ node_uuid: a.uuid, address: '52:54:00:00:00:02' });
    await ports.create({ node_uuid: b.uuid, address: '52:54:00:00:00:03' });
    await expect(ports.create({ node_uuid: b.uuid, address: '52:54:00:00:00:01' })).rejects.toEqual(
      new PortAlreadyExists('address', '52:54:00:00:00:01'),
    );
    await expect(
      ports.create({ node_uuid: b.uuid, address: '52:54:00:00:00:09', uuid: first.uuid }),
    ).rejects.toBeInstanceOf(PortAlreadyExists);
    await expect(
      ports.create({ node_uuid: '00000000-0000-4000-8000-000000000000', address: '52:54:00:00:00:09' }),
    ).rejects.toBeInstanceOf(NodeNotFound);
    expect((await ports.list({ nodeUuid: a.uuid })).map((port) => port.address)).toEqual([
      '52:54:00:00:00:01',
      '52:54:00:00:00:02',
    ]);
    expect((await ports.list({ address: '52:54:00:00:00:03' })).map((port) => port.node_uuid)).toEqual([
      b.uuid,
    ]);
    expect((await ports.list({ sortDir: 'desc', limit: 2 })).map((port) => port.address)).toEqual([
      '52:54:00:00:00:03',
      '52:54:00:00:00:02',
    ]);
    expect((await ports.list({ marker: first.uuid })).map((port) => port.address)).toEqual([
      '52:54:00:00:00:02',
      '52:54:00:00:00:03',
    ]);
    expect(await ports.nodesWithAddresses(['52:54:00:00:00:01', '52:54:00:00:00:02'])).toEqual([a.uuid]);
    expect((await ports.nodesWithAddresses(['52:54:00:00:00:01', '52:54:00:00:00:03'])).sort()).toEqual(
      [a.uuid, b.uuid].sort(),
    );
    clock += 1000;
    expect(await ports.update(first.uuid, { pxe_enabled: false, extra: {} })).toMatchObject({
      pxe_enabled: false,
      extra: {},
      updated_at: '2026-01-01T12:00:01.000000+00:00',
    });
    await expect(ports.update(first.uuid, { address: '52:54:00:00:00:03' })).rejects.toBeInstanceOf(
      PortAlreadyExists,
    );
    await ports.delete(first.uuid);
    await expect(ports.get(first.uuid)).rejects.toBeInstanceOf(PortNotFound);
    await expect(ports.delete(first.uuid)).rejects.toBeInstanceOf(PortNotFound);
    await nodes.reserve(b.uuid, 'me');
    await nodes.delete(b.uuid, 'me');
    expect(await ports.list({ address: '52:54:00:00:00:03' })).toEqual([]);
  });
});
