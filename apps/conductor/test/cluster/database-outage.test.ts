// Two conductors on one PostgreSQL through a TCP proxy the test cuts and restores: each on its own fake
// clock, stepped by the test, so who heartbeats when is the test's choice. What a database outage may
// never do: let a conductor cut off past the timeout lock or own anything, let the first to reconnect
// find the others dead, clear a live conductor's lock, or give a node to two conductors.
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConductorFenced } from '../../src/errors.js';
import { seededUuids } from '../support/seeded-keys.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestConductor, type TestConductor } from '../support/test-conductor.js';
import {
  openTestDatabase,
  POSTGRES_URL,
  postgresReachable,
  type TestDatabase,
} from '../support/test-databases.js';

const postgresUp = await postgresReachable();
const INTERVAL_S = 10;
const TIMEOUT_S = 60;
const NODES = 60;

describe.skipIf(!postgresUp)('a database outage on a cluster (PostgreSQL behind a TCP proxy)', () => {
  let proxy: TcpProxy;
  let testDb: TestDatabase;
  let conductors: TestConductor[] = [];
  let uuids: string[] = [];

  const start = (id: string) =>
    startTestConductor({
      conductor: { id, host: id, heartbeat_interval: INTERVAL_S, heartbeat_timeout: TIMEOUT_S },
      database: { url: proxy.rewrite(POSTGRES_URL), schema: testDb.schema },
    });
  /** Nodes owned by both conductors now, and nodes owned by neither. */
  const ownership = () => {
    const [a, b] = conductors as [TestConductor, TestConductor];
    const keys = uuids.map((uuid) => ({ uuid, driver: 'test-hardware' }));
    return {
      both: keys.filter(
        (key) => a.conductor.membership.ownsNode(key) && b.conductor.membership.ownsNode(key),
      ),
      owned: (t: TestConductor) => keys.filter((key) => t.conductor.membership.ownsNode(key)).length,
    };
  };
  /** Makes every heartbeat look as old as after an outage of `seconds` (on the database's clock). */
  const ageAll = (seconds: number) =>
    sql`update conductors set last_heartbeat_at = last_heartbeat_at - make_interval(secs => ${seconds})`.execute(
      testDb.database.db,
    );
  const reservationOf = async (uuid: string) =>
    (
      await testDb.database.db
        .selectFrom('nodes')
        .select('reservation')
        .where('uuid', '=', uuid)
        .executeTakeFirst()
    )?.reservation;

  beforeAll(async () => {
    const target = new URL(POSTGRES_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  });
  afterAll(async () => {
    await proxy?.stop();
  });
  beforeEach(async () => {
    proxy.restore();
    testDb = await openTestDatabase('postgres');
    uuids = seededUuids(NODES, 'database-outage');
    conductors = [await start('a'), await start('b')];
    for (const uuid of uuids)
      await conductors[0]?.conductor.repository.create({ uuid, driver: 'test-hardware' });
    // Each finds the other, then publishes the ring it found.
    for (let round = 0; round < 2; round++) for (const t of conductors) await t.advance(INTERVAL_S * 1000);
  });
  afterEach(async () => {
    proxy.restore();
    for (const t of conductors) await t.conductor.stop({ timeout: 1000 });
    conductors = [];
    await testDb.dispose();
  });

  it('cut off past the timeout, a conductor fences itself: it owns no node and takes no lock until it heartbeats again', async () => {
    const [a] = conductors as [TestConductor];
    const uuid = uuids.find((candidate) =>
      a.conductor.membership.ownsNode({ uuid: candidate, driver: 'test-hardware' }),
    ) as string;
    expect(uuid).toBeDefined();
    proxy.cut();
    await a.advance(TIMEOUT_S * 1000);
    // Its last heartbeat that succeeded was sent exactly a timeout ago: not yet fenced.
    expect(a.conductor.membership.fenced).toBe(false);
    await a.advance(INTERVAL_S * 1000);
    expect(a.conductor.membership.fenced).toBe(true);
    expect(ownership().owned(a)).toBe(0);
    proxy.restore();
    await expect(a.conductor.nodes.acquire(uuid, { purpose: 'test' })).rejects.toBeInstanceOf(
      ConductorFenced,
    );
    expect(await reservationOf(uuid)).toBeNull();

    await a.advance(INTERVAL_S * 1000);
    expect(a.conductor.membership.fenced).toBe(false);
    const task = await a.conductor.nodes.acquire(uuid, { purpose: 'test' });
    expect(await reservationOf(uuid)).toBe('a');
    await task.release();
    expect(ownership().owned(a)).toBeGreaterThan(0);
  });

  it('after an outage, the first to reconnect finds nobody dead, clears no live lock, and no node ever has two owners', async () => {
    const [a, b] = conductors as [TestConductor, TestConductor];
    const settled = { a: ownership().owned(a), b: ownership().owned(b) };
    expect(settled.a).toBeGreaterThan(0);
    expect(settled.b).toBeGreaterThan(0);
    expect(settled.a + settled.b).toBe(NODES);
    // "b" holds a lock on one of its nodes through the outage.
    const held = uuids.find((uuid) =>
      b.conductor.membership.ownsNode({ uuid, driver: 'test-hardware' }),
    ) as string;
    const lock = await b.conductor.nodes.acquire(held, { purpose: 'test' });

    proxy.cut();
    for (const t of conductors) await t.advance((TIMEOUT_S + INTERVAL_S) * 1000);
    for (const t of conductors) expect(t.conductor.membership.fenced).toBe(true);
    expect(ownership().owned(a) + ownership().owned(b)).toBe(0);

    // The database was away for longer than the timeout: every heartbeat is that old when it comes back.
    proxy.restore();
    await ageAll(TIMEOUT_S + 20);
    // "a" reconnects first and keeps heartbeating; "b" is still cut off (its pool is, in effect: it is not
    // stepped) for most of a timeout.
    for (let step = 0; step < TIMEOUT_S / INTERVAL_S - 1; step++) {
      await a.advance(INTERVAL_S * 1000);
      expect(a.conductor.membership.deadIds).toEqual([]);
      expect(ownership().both).toEqual([]);
      expect(await reservationOf(held)).toBe('b');
    }
    expect(ownership().owned(a)).toBe(settled.a);
    // "b" comes back, still within "a"'s timeout of successful heartbeats: nothing moves.
    for (let step = 0; step < 2 * (TIMEOUT_S / INTERVAL_S); step++) {
      for (const t of conductors) {
        await t.advance(INTERVAL_S * 1000);
        expect(ownership().both).toEqual([]);
      }
      for (const t of conductors) expect(t.conductor.membership.deadIds).toEqual([]);
    }
    expect(await reservationOf(held)).toBe('b');
    expect({ a: ownership().owned(a), b: ownership().owned(b) }).toEqual(settled);
    await lock.release();
  });
});
