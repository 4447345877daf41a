import { inRingRanges, RING_POINTS, ringPoint } from '@ironic/driver-base';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterMembership } from '../../src/cluster/cluster-membership.js';
import { HashRing } from '../../src/cluster/hash-ring.js';
import { createDatabase } from '../../src/db/create-database.js';
import { MIGRATIONS } from '../../src/db/migrate.js';
import type { Tables } from '../../src/db/tables.js';
import { ConductorRegistry } from '../../src/store/conductor-registry.js';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import { seededUuids } from '../support/seeded-keys.js';
import {
  type Backend,
  backendUrl,
  openTestDatabase,
  postgresReachable,
  type TestDatabase,
  testSchema,
} from '../support/test-databases.js';

const postgresUp = await postgresReachable();
const now = Date.UTC(2026, 0, 1);
const uuids = seededUuids(1200, 'owned-ranges');
const DRIVERS_OF: Readonly<Record<string, readonly string[]>> = {
  a: ['drac', 'fake'],
  b: ['drac', 'fake'],
  c: ['drac'],
};
const nodeKeys = uuids.map((uuid, index) => ({ uuid, driver: index % 3 === 0 ? 'fake' : 'drac' }));

/** Inserts nodes with only a UUID and a driver (every other column has its default). */
async function insertBare(db: Kysely<Tables>, nodes: readonly { uuid: string; driver: string }[]) {
  await sql`insert into nodes (uuid, driver, created_at)
    select uuid, driver, ${new Date(now)} from unnest(${nodes.map((n) => n.uuid)}::text[], ${nodes.map((n) => n.driver)}::text[]) as n(uuid, driver)`.execute(
    db,
  );
}

describe('a hash ring as ranges of ring points', () => {
  it('gives each member the ranges holding exactly the keys it owns, covering the ring once', () => {
    const ring = new HashRing(['a', 'b', 'c'], { partitionsPerMember: 64 });
    const ranges = new Map(ring.members.map((member) => [member, ring.rangesOf(member)]));
    for (const key of seededUuids(3000, 'ring-ranges')) {
      const owners = ring.members.filter((member) => inRingRanges(ringPoint(key), ranges.get(member) ?? []));
      expect(owners, key).toEqual([ring.get(key)]);
    }
    const covered = [...ranges.values()].flat().reduce((sum, range) => sum + range.to - range.from + 1, 0);
    expect(covered).toBe(RING_POINTS);
    const shares = ring.arcShares();
    for (const [member, memberRanges] of ranges) {
      const size = memberRanges.reduce((sum, range) => sum + range.to - range.from + 1, 0);
      expect(size / RING_POINTS).toBeCloseTo(shares.get(member) as number, 12);
    }
  });

  it('gives the keys past the last point, and up to the first, to the first point’s owner', () => {
    const ring = new HashRing(['a', 'b'], { partitionsPerMember: 8 });
    const all = ring.members.flatMap((member) => ring.rangesOf(member).map((range) => ({ member, range })));
    const first = all.find(({ range }) => range.from === 0);
    const last = all.find(({ range }) => range.to === RING_POINTS - 1);
    expect(first?.member).toBeDefined();
    expect(last?.member).toBe(first?.member);
    // A key hashed near either end of the ring, found among seeded keys.
    const keys = seededUuids(20_000, 'ring-ends');
    const low = keys.find((key) => ringPoint(key) <= (first?.range.to ?? 0));
    const high = keys.find((key) => ringPoint(key) >= (last?.range.from ?? RING_POINTS));
    expect(low && ring.get(low)).toBe(first?.member);
    expect(high && ring.get(high)).toBe(first?.member);
  });

  it('gives a member not on the ring, or an empty ring, no ranges', () => {
    expect(new HashRing(['a']).rangesOf('z')).toEqual([]);
    expect(new HashRing([]).rangesOf('a')).toEqual([]);
    expect(new HashRing(['a'], { partitionsPerMember: 4 }).rangesOf('a')).toEqual([
      { from: 0, to: RING_POINTS - 1 },
    ]);
  });
});

describe.each([
  { backend: 'pglite' as Backend, skip: false },
  { backend: 'postgres' as Backend, skip: !postgresUp },
])('ownership selected in SQL on $backend', ({ backend, skip }) => {
  let testDb: TestDatabase;
  let repository: KyselyNodeRepository;
  let registry: ConductorRegistry;

  beforeAll(async () => {
    if (skip) return;
    testDb = await openTestDatabase(backend);
    repository = new KyselyNodeRepository(testDb.database.db);
    registry = new ConductorRegistry(testDb.database.db);
    await insertBare(testDb.database.db, nodeKeys);
    for (const [id, drivers] of Object.entries(DRIVERS_OF))
      await registry.register(id, `host-${id}`, drivers);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  const viewOf = async (selfId: string) => {
    const drivers = DRIVERS_OF[selfId] ?? [];
    const view = new ClusterMembership({
      store: {
        heartbeat: (ring) => registry.heartbeat(selfId, `host-${selfId}`, drivers, ring),
        snapshot: () => registry.snapshot(),
      },
      selfId,
      heartbeatTimeoutMs: 60_000,
      now: () => now,
    });
    // The first tick builds the rings, the second publishes them: only then does it own nodes.
    await view.tick();
    await view.tick();
    return view;
  };
  const selectedBy = async (view: ClusterMembership, drivers = ['drac', 'fake']) => {
    const ringRanges = new Map(drivers.map((driver) => [driver, view.ownedRanges(driver)]));
    return (await repository.list({ ringRanges })).map((node) => node.uuid).sort();
  };

  it.skipIf(skip)('keeps each node’s ring point in the database, as the rings compute it', async () => {
    const rows = await testDb.database.db.selectFrom('nodes').select(['uuid', 'ring_point']).execute();
    expect(rows).toHaveLength(uuids.length);
    for (const row of rows) expect(Number(row.ring_point), row.uuid).toBe(ringPoint(row.uuid));
  });

  it.skipIf(skip)('selects exactly the nodes ownsNode gives each member, every node to one', async () => {
    const selected = new Map<string, string[]>();
    for (const id of ['a', 'b', 'c']) {
      const view = await viewOf(id);
      const expected = nodeKeys
        .filter((node) => view.ownsNode(node))
        .map((node) => node.uuid)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      selected.set(id, await selectedBy(view));
      expect(selected.get(id), id).toEqual(expected);
    }
    expect([...selected.values()].flat().sort()).toEqual([...uuids].sort());
    // `c` does not enable `fake`: none of those nodes are its.
    const fakeNodes = new Set(nodeKeys.filter((node) => node.driver === 'fake').map((node) => node.uuid));
    expect(selected.get('c')?.some((uuid) => fakeNodes.has(uuid))).toBe(false);
  });

  it.skipIf(skip)('selects nothing for a driver left out, and nothing once the member leaves', async () => {
    const view = await viewOf('a');
    const dracOnly = await selectedBy(view, ['drac']);
    expect(dracOnly).toEqual(
      nodeKeys
        .filter((node) => node.driver === 'drac' && view.ownsNode(node))
        .map((node) => node.uuid)
        .sort(),
    );
    view.leave();
    expect(view.ownedRanges('drac')).toEqual([]);
    expect(await selectedBy(view)).toEqual([]);
  });
});

describe.each([
  { backend: 'pglite' as Backend, skip: false },
  { backend: 'postgres' as Backend, skip: !postgresUp },
])('the ring point migration on $backend', ({ backend, skip }) => {
  it.skipIf(skip)('fills the ring point of nodes that existed before it', async () => {
    const url = await backendUrl(backend);
    const database = await createDatabase({ url, schema: testSchema(url) });
    try {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
        migrationTableSchema: rows[0]?.schema ?? 'public',
      });
      expect((await migrator.migrateTo('0004-ports')).error).toBeUndefined();
      const old = uuids.slice(0, 50);
      await insertBare(
        database.db,
        old.map((uuid) => ({ uuid, driver: 'drac' })),
      );
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const filled = await database.db.selectFrom('nodes').select(['uuid', 'ring_point']).execute();
      expect(filled.map((row) => [row.uuid, Number(row.ring_point)]).sort()).toEqual(
        old.map((uuid) => [uuid, ringPoint(uuid)]).sort(),
      );
    } finally {
      await database.close();
    }
  });
});
