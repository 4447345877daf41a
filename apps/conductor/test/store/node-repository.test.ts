import { NodeAlreadyExists, NodeLocked, NodeNotFound } from '@ironic/driver-base';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
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

const ME = 'conductor-a';
const OTHER = 'conductor-b';

describe.each(backends)('KyselyNodeRepository on $backend', ({ backend, skip }) => {
  let testDb: TestDatabase;
  let repository: KyselyNodeRepository;
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
    repository = new KyselyNodeRepository(testDb.database.db, { now: () => clock });
  });

  it('creates a node with Ironic defaults and reads it back by UUID and by name', async () => {
    const created = await repository.create({ driver: 'fake', name: 'node-1', driver_info: { bmc: 'x' } });
    expect(created).toMatchObject({
      name: 'node-1',
      driver: 'fake',
      provision_state: 'enroll',
      target_provision_state: null,
      power_state: null,
      maintenance: false,
      reservation: null,
      driver_info: { bmc: 'x' },
      properties: {},
      extra: {},
      created_at: '2026-01-01T12:00:00.000000+00:00',
      updated_at: null,
      provision_updated_at: null,
    });
    expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repository.get(created.uuid)).toEqual(created);
    expect(await repository.get('node-1')).toEqual(created);
    expect(await repository.get('missing')).toBeUndefined();
  });

  it('refuses a duplicate UUID or name with NodeAlreadyExists naming the field', async () => {
    const first = await repository.create({ driver: 'fake', name: 'dup' });
    await expect(repository.create({ driver: 'fake', uuid: first.uuid })).rejects.toMatchObject({
      name: 'NodeAlreadyExists',
      field: 'uuid',
    });
    const byName = repository.create({ driver: 'fake', name: 'dup' });
    await expect(byName).rejects.toBeInstanceOf(NodeAlreadyExists);
    await expect(byName).rejects.toMatchObject({ field: 'name', value: 'dup' });
    // Any number of unnamed nodes.
    await repository.create({ driver: 'fake' });
    await repository.create({ driver: 'fake' });
    expect(await repository.list()).toHaveLength(3);
  });

  it('reserves atomically: the second reservation sees the holder; release needs the holder', async () => {
    const node = await repository.create({ driver: 'fake', name: 'lockme' });
    const first = await repository.reserve('lockme', ME);
    expect(first.status).toBe('reserved');
    expect(first.status === 'reserved' && first.node.reservation).toBe(ME);
    expect(await repository.reserve(node.uuid, OTHER)).toEqual({ status: 'locked', holder: ME });
    expect(await repository.reserve('nope', OTHER)).toEqual({ status: 'not-found' });
    expect(await repository.release(node.uuid, OTHER)).toBe(false);
    expect((await repository.get(node.uuid))?.reservation).toBe(ME);
    expect(await repository.release(node.uuid, ME)).toBe(true);
    expect(await repository.release(node.uuid, ME)).toBe(false);
    expect((await repository.reserve(node.uuid, OTHER)).status).toBe('reserved');
  });

  it('updates only under the reservation, stamping updated_at and provision_updated_at', async () => {
    const node = await repository.create({ driver: 'fake' });
    await expect(repository.update(node.uuid, ME, { extra: { a: 1 } })).rejects.toBeInstanceOf(NodeLocked);
    await repository.reserve(node.uuid, OTHER);
    await expect(repository.update(node.uuid, ME, { extra: { a: 1 } })).rejects.toMatchObject({
      name: 'NodeLocked',
      holder: OTHER,
    });
    await repository.release(node.uuid, OTHER);
    await repository.reserve(node.uuid, ME);

    clock += 1500;
    const saved = await repository.update(node.uuid, ME, { extra: { a: 1, nested: { b: [1, 'x'] } } });
    expect(saved.extra).toEqual({ a: 1, nested: { b: [1, 'x'] } });
    expect(saved.updated_at).toBe('2026-01-01T12:00:01.500000+00:00');
    expect(saved.provision_updated_at).toBeNull();

    clock += 1000;
    const moved = await repository.update(node.uuid, ME, {
      provision_state: 'verifying',
      target_provision_state: 'manageable',
    });
    expect(moved).toMatchObject({ provision_state: 'verifying', target_provision_state: 'manageable' });
    expect(moved.provision_updated_at).toBe('2026-01-01T12:00:02.500000+00:00');

    clock += 1000;
    const same = await repository.update(node.uuid, ME, { provision_state: 'verifying', last_error: 'x' });
    expect(same.provision_updated_at).toBe('2026-01-01T12:00:02.500000+00:00');
    expect(same.updated_at).toBe('2026-01-01T12:00:03.500000+00:00');
    expect(same.reservation).toBe(ME);
  });

  it('lists a node as get reads it: the same fields in the same order, every timestamp alike', async () => {
    clock += 123;
    const node = await repository.create({
      driver: 'fake',
      name: 'listed',
      traits: ['CUSTOM_B', 'CUSTOM_A'],
    });
    await repository.reserve(node.uuid, ME);
    clock += 1001;
    await repository.update(node.uuid, ME, { provision_state: 'inspecting', extra: { a: [1] } });
    clock += 58_999;
    await repository.update(node.uuid, ME, { inspection_finished_at: '2025-12-31T23:59:59.999Z' });
    const got = await repository.get(node.uuid);
    expect(got).toMatchObject({
      created_at: '2026-01-01T12:00:00.123000+00:00',
      inspection_started_at: '2026-01-01T12:00:01.124000+00:00',
      inspection_finished_at: '2025-12-31T23:59:59.999000+00:00',
      updated_at: '2026-01-01T12:01:00.123000+00:00',
      provision_updated_at: '2026-01-01T12:00:01.124000+00:00',
    });
    // In a session on another time zone too: the list writes its timestamps in UTC all the same.
    const listed = await testDb.database.db.connection().execute(async (connection) => {
      await sql`set time zone 'America/St_Johns'`.execute(connection);
      try {
        return await new KyselyNodeRepository(connection).list({ driver: 'fake' });
      } finally {
        await sql`reset time zone`.execute(connection);
      }
    });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toEqual(got);
    expect(Object.keys(listed[0] ?? {})).toEqual(Object.keys(got ?? {}));
  });

  it('reports NodeNotFound for an update or delete of a missing node', async () => {
    await expect(repository.update('4b1d6a52-7d35-4ac7-9d44-b1c38a0f0000', ME, {})).rejects.toBeInstanceOf(
      NodeNotFound,
    );
    await expect(repository.delete('4b1d6a52-7d35-4ac7-9d44-b1c38a0f0000', ME)).rejects.toBeInstanceOf(
      NodeNotFound,
    );
  });

  it('refuses renaming a node onto a taken name and leaves it unchanged', async () => {
    await repository.create({ driver: 'fake', name: 'taken' });
    const node = await repository.create({ driver: 'fake', name: 'free' });
    await repository.reserve(node.uuid, ME);
    await expect(repository.update(node.uuid, ME, { name: 'taken', extra: { x: 1 } })).rejects.toMatchObject({
      name: 'NodeAlreadyExists',
      field: 'name',
    });
    expect(await repository.get(node.uuid)).toMatchObject({ name: 'free', extra: {} });
  });

  it('deletes only under the reservation', async () => {
    const node = await repository.create({ driver: 'fake' });
    await expect(repository.delete(node.uuid, ME)).rejects.toBeInstanceOf(NodeLocked);
    await repository.reserve(node.uuid, ME);
    await repository.delete(node.uuid, ME);
    expect(await repository.get(node.uuid)).toBeUndefined();
  });

  it('releases every reservation of one conductor', async () => {
    const nodes = await Promise.all([1, 2, 3].map(() => repository.create({ driver: 'fake' })));
    await repository.reserve(nodes[0]!.uuid, ME);
    await repository.reserve(nodes[1]!.uuid, ME);
    await repository.reserve(nodes[2]!.uuid, OTHER);
    expect(await repository.releaseAll(ME)).toBe(2);
    expect((await repository.list({ reserved: true })).map((n) => n.reservation)).toEqual([OTHER]);
  });

  it('filters, counts, sorts and pages', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      clock += 1000;
      made.push(
        await repository.create({
          driver: i % 2 ? 'drac' : 'fake',
          name: i === 3 ? null : `n${i}`,
          provision_state: i < 3 ? 'manageable' : 'enroll',
          maintenance: i === 6,
        }),
      );
    }
    await repository.reserve(made[0]!.uuid, ME);
    expect((await repository.list({ provisionState: 'manageable' })).length).toBe(3);
    expect((await repository.list({ provisionState: ['manageable', 'enroll'], driver: 'drac' })).length).toBe(
      3,
    );
    expect((await repository.list({ maintenance: true })).map((n) => n.name)).toEqual(['n6']);
    expect((await repository.list({ reservedBy: ME })).map((n) => n.uuid)).toEqual([made[0]!.uuid]);
    expect((await repository.list({ reserved: false })).length).toBe(6);
    expect(await repository.countByProvisionState()).toEqual({ manageable: 3, enroll: 4 });

    const byUuid = [...made].map((n) => n.uuid).sort();
    const page1 = await repository.list({ limit: 3 });
    const page2 = await repository.list({ limit: 3, marker: page1.at(-1)!.uuid });
    const page3 = await repository.list({ limit: 3, marker: page2.at(-1)!.uuid });
    expect([...page1, ...page2, ...page3].map((n) => n.uuid)).toEqual(byUuid);

    for (const sortDir of ['asc', 'desc'] as const) {
      const all = await repository.list({ sortKey: 'name', sortDir });
      const paged = [];
      let marker: string | undefined;
      for (;;) {
        const page = await repository.list({
          sortKey: 'name',
          sortDir,
          limit: 2,
          ...(marker ? { marker } : {}),
        });
        paged.push(...page);
        if (page.length < 2) break;
        marker = page.at(-1)!.uuid;
      }
      expect(paged.map((n) => n.uuid)).toEqual(all.map((n) => n.uuid));
      expect(all).toHaveLength(7);
    }
    const names = (await repository.list({ sortKey: 'name' })).map((n) => n.name);
    expect(names).toEqual(['n0', 'n1', 'n2', 'n4', 'n5', 'n6', null]);
    const created = (await repository.list({ sortKey: 'created_at', sortDir: 'desc' })).map((n) => n.uuid);
    expect(created).toEqual([...made].reverse().map((n) => n.uuid));
    await expect(
      repository.list({ sortKey: 'name', marker: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toBeInstanceOf(NodeNotFound);
    // Sorted by UUID, a deleted marker still pages on (a sweep survives deleting its last node).
    const [, second] = await repository.list({ limit: 2 });
    await repository.reserve(second!.uuid, ME);
    await repository.delete(second!.uuid, ME);
    expect((await repository.list({ marker: second!.uuid })).map((n) => n.uuid)).toEqual(byUuid.slice(2));
  });
});
