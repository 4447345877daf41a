// The `conductors` table on both backends: heartbeats are timed by the database's clock (whatever the
// host's says), and only the reservations of conductors found dead — and still silent when the write
// happens — or offline are ever cleared.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConductorRegistry } from '../../src/store/conductor-registry.js';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import { openTestDatabase, postgresReachable, type TestDatabase } from '../support/test-databases.js';

const postgresUp = await postgresReachable();
const TIMEOUT_MS = 60_000;

describe.each([
  { backend: 'pglite' as const, skip: false },
  { backend: 'postgres' as const, skip: !postgresUp },
])('conductor registry ($backend)', ({ backend, skip }) => {
  let testDb: TestDatabase;
  let registry: ConductorRegistry;
  let nodes: KyselyNodeRepository;
  const db = () => testDb.database.db;
  const dbNow = async () => {
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db());
    return (rows[0] as { now: Date }).now.getTime();
  };
  const age = (id: string, ms: number) =>
    sql`update conductors set last_heartbeat_at = now() - make_interval(secs => ${ms / 1000})
      where id = ${id}`.execute(db());

  beforeAll(async () => {
    if (skip) return;
    testDb = await openTestDatabase(backend);
    // The host's clock is years off: nothing the registry writes may come from it.
    nodes = new KyselyNodeRepository(testDb.database.db, { now: () => Date.UTC(2001, 0, 1) });
    registry = new ConductorRegistry(testDb.database.db);
  });
  beforeEach(async () => {
    if (skip) return;
    await db().deleteFrom('nodes').execute();
    await db().deleteFrom('conductors').execute();
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it.skipIf(skip)('times every heartbeat by the database’s clock and keeps the published ring', async () => {
    const before = await dbNow();
    await registry.register('a', 'host-a', ['drac']);
    const at = await registry.heartbeat('a', 'host-a', ['drac'], [['a', ['drac']]]);
    const after = await dbNow();
    const { now, records } = await registry.snapshot();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
    expect(now).toBeGreaterThanOrEqual(at);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: 'a', online: true, draining: false, ring: [['a', ['drac']]] });
    expect(Date.parse(records[0]?.last_heartbeat_at ?? '')).toBe(at);
    expect(Date.parse(records[0]?.started_at ?? '')).toBeGreaterThanOrEqual(before);
    // A restart claims nothing until it publishes again; draining and going offline publish nothing.
    await registry.register('a', 'host-a', ['drac']);
    expect((await registry.list())[0]?.ring).toBeNull();
    await registry.heartbeat('a', 'host-a', ['drac'], [['a', ['drac']]]);
    await registry.drain('a');
    expect((await registry.list())[0]).toMatchObject({ draining: true, ring: null });
  });

  it.skipIf(skip)(
    'clears only the reservations of conductors found dead and still silent, or offline',
    async () => {
      for (const id of ['self', 'live', 'stale', 'dead', 'revived', 'offline']) {
        await registry.register(id, `host-${id}`, ['drac']);
      }
      const held = new Map<string, string>();
      for (const id of ['self', 'live', 'stale', 'dead', 'revived', 'offline']) {
        const node = await nodes.create({ driver: 'drac' });
        expect((await nodes.reserve(node.uuid, id)).status).toBe('reserved');
        held.set(id, node.uuid);
      }
      // "stale" is silent but not found dead (the caller's heartbeats have not lasted long enough);
      // "revived" was found dead, then heartbeated before the clearing ran.
      await age('self', TIMEOUT_MS + 1_000);
      await age('stale', TIMEOUT_MS + 1_000);
      await age('dead', TIMEOUT_MS + 1_000);
      await registry.unregister('offline');
      const freed = await registry.clearDeadReservations('self', ['dead', 'revived', 'self'], TIMEOUT_MS);
      expect(freed).toBe(2);
      const reservations = new Map<string, string | null>();
      for (const [id, uuid] of held) reservations.set(id, (await nodes.get(uuid))?.reservation ?? null);
      expect(Object.fromEntries(reservations)).toEqual({
        self: 'self',
        live: 'live',
        stale: 'stale',
        dead: null,
        revived: 'revived',
        offline: null,
      });
      // With nobody found dead, only offline conductors' locks go.
      expect(await registry.clearDeadReservations('self', [], TIMEOUT_MS)).toBe(0);
    },
  );
});
