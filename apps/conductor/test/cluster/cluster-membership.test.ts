// The membership on a real database (the file's embedded server): heartbeats are timed by the database's
// clock, so a silent conductor is made by ageing its row in SQL; this host's clock (fencing, and how long
// this conductor has heartbeated) is a number the test moves. Several memberships on one registry stand
// for several conductors; the test chooses who heartbeats when, so every interleaving is deterministic.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterMembership, type NodeKey } from '../../src/cluster/cluster-membership.js';
import { HashRing } from '../../src/cluster/hash-ring.js';
import { ConductorRegistry } from '../../src/store/conductor-registry.js';
import { binomialSpread, seededUuids } from '../support/seeded-keys.js';
import { openTestDatabase, type TestDatabase } from '../support/test-databases.js';

const TIMEOUT_MS = 60_000;
const INTERVAL_MS = 10_000;
const nodes: NodeKey[] = seededUuids(1000, 'cluster-membership').map((uuid) => ({ uuid, driver: 'drac' }));

/** A conductor as the test drives it: its membership, and whether its database connection works. */
interface Member {
  readonly id: string;
  readonly view: ClusterMembership;
  up: boolean;
}

describe('cluster membership, liveness and hand-over', () => {
  let testDb: TestDatabase;
  let registry: ConductorRegistry;
  /** This host's clock, shared by every member (one host's clock; the database keeps its own). */
  let now: number;
  let members: Map<string, Member>;

  const member = (id: string) => members.get(id) as Member;
  async function join(id: string, drivers = ['drac']): Promise<Member> {
    await registry.register(id, `host-${id}`, drivers);
    const entry: Member = {
      id,
      up: true,
      view: new ClusterMembership({
        store: {
          heartbeat: async (ring) => {
            if (!entry.up) throw new Error(`${id} cannot reach the database`);
            return registry.heartbeat(id, `host-${id}`, drivers, ring);
          },
          snapshot: async () => {
            if (!entry.up) throw new Error(`${id} cannot reach the database`);
            return registry.snapshot();
          },
        },
        selfId: id,
        heartbeatTimeoutMs: TIMEOUT_MS,
        now: () => now,
      }),
    };
    members.set(id, entry);
    return entry;
  }
  /** One heartbeat-and-refresh of each of `ids`, in that order; an unreachable database is swallowed. */
  async function tick(...ids: string[]): Promise<void> {
    for (const id of ids)
      await member(id)
        .view.tick()
        .catch(() => undefined);
  }
  /** Makes `ids`' heartbeats older than the timeout on the database's clock (as after a long silence). */
  async function age(ids: readonly string[], ms = TIMEOUT_MS + 1_000): Promise<void> {
    await sql`update conductors set last_heartbeat_at = now() - make_interval(secs => ${ms / 1000})
      where id in (${sql.join(ids)})`.execute(testDb.database.db);
  }
  /** The members that own `node` now. */
  const ownersOf = (node: NodeKey) =>
    [...members.values()].filter((entry) => entry.view.ownsNode(node)).map((entry) => entry.id);
  /** Nodes owned by more than one member now, as "uuid: a, b". */
  const doublyOwned = (among: readonly NodeKey[] = nodes) =>
    among.flatMap((node) => {
      const owners = ownersOf(node);
      return owners.length > 1 ? [`${node.uuid}: ${owners.join(', ')}`] : [];
    });
  const ring = (...ids: string[]) => new HashRing(ids);

  beforeAll(async () => {
    testDb = await openTestDatabase('pglite');
    registry = new ConductorRegistry(testDb.database.db);
  });
  beforeEach(async () => {
    now = Date.UTC(2026, 0, 1);
    members = new Map();
    await testDb.database.db.deleteFrom('conductors').execute();
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('owns nothing before its first heartbeat, then gives each node to exactly its owner on the ring', async () => {
    for (const id of ['a', 'b', 'c']) await join(id);
    expect(nodes.some((node) => member('a').view.ownsNode(node))).toBe(false);
    expect(member('a').view.fenced).toBe(true);
    // The first round finds the members; the second publishes the ring each found.
    await tick('a', 'b', 'c');
    expect(doublyOwned()).toEqual([]);
    await tick('a', 'b', 'c');
    const wanted = ring('a', 'b', 'c');
    for (const node of nodes) expect(ownersOf(node)).toEqual([wanted.get(node.uuid)]);
    const counts = member('a').view.countOwners(nodes);
    for (const [id, share] of wanted.arcShares()) {
      expect(Math.abs((counts.get(id) as number) - nodes.length * share), id).toBeLessThanOrEqual(
        binomialSpread(nodes.length, share),
      );
    }
    expect(member('a').view.publishedRing).toEqual([
      ['a', ['drac']],
      ['b', ['drac']],
      ['c', ['drac']],
    ]);
  });

  it('maps a node only to members that enable its driver', async () => {
    await join('a', ['drac', 'ipa']);
    await join('b', ['ipa']);
    await tick('a', 'b', 'a', 'b');
    const drac = nodes[0] as NodeKey;
    expect(member('b').view.ownerOf(drac)).toBe('a');
    expect(member('b').view.ownsNode(drac)).toBe(false);
    expect(member('a').view.ownsNode(drac)).toBe(true);
    expect(member('b').view.ownerOf({ uuid: drac.uuid, driver: 'unknown' })).toBeUndefined();
    const ipaOwners = new Set(nodes.map((node) => member('b').view.ownerOf({ ...node, driver: 'ipa' })));
    expect(ipaOwners).toEqual(new Set(['a', 'b']));
  });

  it('a joining conductor takes a node only once its old owner has published the new ring: never two owners', async () => {
    for (const id of ['a', 'b', 'c']) await join(id);
    await tick('a', 'b', 'c', 'a', 'b', 'c');
    await join('d');
    const after = ring('a', 'b', 'c', 'd');
    const moving = nodes.filter((node) => after.get(node.uuid) === 'd');
    expect(moving.length).toBeGreaterThan(0);
    // The newcomer goes first and twice: it has found and published the new ring before anyone else. Each
    // old member finds the new ring at one heartbeat and publishes it at its next.
    for (const id of ['d', 'd', 'a', 'd', 'b', 'd', 'c', 'd', 'a', 'd', 'b', 'd', 'c', 'd']) {
      await tick(id);
      expect(doublyOwned(), `after a tick of ${id}`).toEqual([]);
    }
    for (const node of nodes) expect(ownersOf(node)).toEqual([after.get(node.uuid)]);
  });

  it('after a database outage longer than the timeout: fenced while cut off, then nobody is found dead and no node moves', async () => {
    for (const id of ['a', 'b', 'c']) await join(id);
    await tick('a', 'b', 'c', 'a', 'b', 'c');
    const settled = ring('a', 'b', 'c');
    for (const entry of members.values()) entry.up = false;
    now += INTERVAL_MS;
    await tick('a', 'b', 'c');
    // Still within the timeout since the last heartbeat that succeeded: everyone keeps its nodes.
    for (const node of nodes) expect(ownersOf(node)).toEqual([settled.get(node.uuid)]);
    now += TIMEOUT_MS;
    await tick('a', 'b', 'c');
    for (const entry of members.values()) expect(entry.view.fenced, entry.id).toBe(true);
    expect(nodes.filter((node) => ownersOf(node).length > 0)).toEqual([]);

    // The database comes back after 20 s away; "a" reconnects first and sees everyone else's heartbeat old.
    await age(['a', 'b', 'c'], TIMEOUT_MS + 20_000);
    member('a').up = true;
    now += INTERVAL_MS;
    await tick('a');
    expect(member('a').view.fenced).toBe(false);
    expect(member('a').view.deadIds).toEqual([]);
    expect(member('a').view.members.map((m) => [m.id, m.state])).toEqual([
      ['a', 'alive'],
      ['b', 'stale'],
      ['c', 'stale'],
    ]);
    for (const node of nodes) {
      expect(ownersOf(node)).toEqual(settled.get(node.uuid) === 'a' ? ['a'] : []);
      expect(member('a').view.ownerOf(node)).toBe(settled.get(node.uuid));
    }
    member('b').up = true;
    member('c').up = true;
    for (let round = 0; round < 8; round++) {
      now += INTERVAL_MS;
      await tick('a', 'b', 'c');
      expect(doublyOwned()).toEqual([]);
      for (const entry of members.values()) expect(entry.view.deadIds, entry.id).toEqual([]);
    }
    for (const node of nodes) expect(ownersOf(node)).toEqual([settled.get(node.uuid)]);
  });

  it('finds a silent peer dead only after its own heartbeats succeeded for a whole timeout, then takes its nodes', async () => {
    for (const id of ['a', 'b', 'c']) await join(id);
    await tick('a', 'b', 'c', 'a', 'b', 'c');
    // "c" dies; its last heartbeat is long past on the database's clock.
    members.delete('c');
    await age(['c']);
    // "a" has just come back from a failed heartbeat: its run of successful ones starts again.
    member('a').up = false;
    await tick('a');
    member('a').up = true;
    const start = now;
    while (now - start <= TIMEOUT_MS) {
      await tick('a', 'b');
      expect(member('a').view.deadIds).toEqual([]);
      expect(member('a').view.ownerOf(nodes[0] as NodeKey)).toBe(
        ring('a', 'b', 'c').get(nodes[0]?.uuid ?? ''),
      );
      now += INTERVAL_MS;
    }
    await tick('a', 'b');
    expect(member('a').view.deadIds).toEqual(['c']);
    expect(member('a').view.members.find((m) => m.id === 'c')).toMatchObject({ alive: false, state: 'dead' });
    await tick('a', 'b', 'a', 'b');
    const survivors = ring('a', 'b');
    for (const node of nodes) expect(ownersOf(node)).toEqual([survivors.get(node.uuid)]);
  });

  it('drops draining and offline members at once, and takes a restarted one back', async () => {
    for (const id of ['a', 'b', 'c']) await join(id);
    await tick('a', 'b', 'c', 'a', 'b', 'c');
    member('b').view.leave();
    await registry.drain('b');
    await registry.unregister('c');
    members.delete('c');
    expect(await member('a').view.refresh()).toEqual({ before: ['a', 'b', 'c'], after: ['a'] });
    expect(member('a').view.members.map((m) => [m.id, m.state])).toEqual([
      ['a', 'alive'],
      ['b', 'left'],
      ['c', 'left'],
    ]);
    await tick('a');
    expect(nodes.every((node) => member('a').view.ownsNode(node))).toBe(true);
    expect(nodes.some((node) => member('b').view.ownsNode(node))).toBe(false);
    members.delete('b');
    await join('b');
    await tick('b', 'b', 'a', 'b');
    // "a" has found "b" back, but not yet published it: its ring still gives "a" every node.
    expect(nodes.some((node) => member('b').view.ownsNode(node))).toBe(false);
    await tick('a', 'b');
    expect(member('a').view.ownerOf(nodes[0] as NodeKey)).toBe(ring('a', 'b').get(nodes[0]?.uuid ?? ''));
    expect(doublyOwned()).toEqual([]);
    expect(nodes.some((node) => member('b').view.ownsNode(node))).toBe(true);
  });

  it('fences itself once its last successful heartbeat is older than the timeout, until one succeeds again', async () => {
    await join('a');
    await tick('a', 'a');
    const node = nodes[0] as NodeKey;
    expect(member('a').view.ownsNode(node)).toBe(true);
    member('a').up = false;
    now += TIMEOUT_MS;
    await tick('a');
    // Exactly at the timeout it still owns its nodes; a millisecond later it owns none.
    expect(member('a').view.fenced).toBe(false);
    now += 1;
    expect(member('a').view.fenced).toBe(true);
    expect(member('a').view.ownsNode(node)).toBe(false);
    member('a').up = true;
    await tick('a');
    expect(member('a').view.fenced).toBe(false);
    expect(member('a').view.ownsNode(node)).toBe(true);
  });

  it('never gives a node to two conductors, whatever the order of heartbeats across joins, leaves, deaths and outages (property)', async () => {
    // A seeded sequence of events: each step is one conductor's tick, a join, a clean leave, a kill, or
    // cutting or restoring one conductor's database connection; the host clock moves between steps.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
    let next = 0;
    for (const id of ['m0', 'm1', 'm2']) await join(id);
    next = 3;
    // Fewer nodes than the other tests: every step checks each of them against every member.
    const sample = nodes.slice(0, 200);
    for (let step = 0; step < 300; step++) {
      const ids = [...members.keys()];
      const roll = random();
      if (roll < 0.04 && members.size < 6) {
        await join(`m${next++}`);
      } else if (roll < 0.06 && members.size > 1) {
        const id = pick(ids);
        member(id).view.leave();
        await registry.drain(id);
        await registry.unregister(id);
        members.delete(id);
      } else if (roll < 0.08 && members.size > 1) {
        // kill -9: it simply stops; its row ages on the database's clock.
        const id = pick(ids);
        members.delete(id);
        await age([id]);
      } else if (roll < 0.12) {
        const entry = member(pick(ids));
        entry.up = !entry.up;
      } else {
        await tick(pick(ids));
      }
      now += Math.floor(random() * INTERVAL_MS);
      expect(doublyOwned(sample), `step ${step}`).toEqual([]);
    }
    // Once every connection works and everyone heartbeats for long enough, every node has its one owner.
    for (const entry of members.values()) entry.up = true;
    for (let round = 0; round < 2 * (TIMEOUT_MS / INTERVAL_MS) + 4; round++) {
      now += INTERVAL_MS;
      await tick(...members.keys());
      expect(doublyOwned(), `settling round ${round}`).toEqual([]);
    }
    const final = ring(...[...members.keys()]);
    for (const node of nodes) expect(ownersOf(node)).toEqual([final.get(node.uuid)]);
  });

  it('rejects a heartbeat timeout that is not a positive number', () => {
    expect(
      () =>
        new ClusterMembership({
          store: { heartbeat: async () => undefined, snapshot: async () => ({ now: 0, records: [] }) },
          selfId: 'a',
          heartbeatTimeoutMs: 0,
          now: Date.now,
        }),
    ).toThrow(/heartbeatTimeoutMs must be a positive number, got 0/);
  });
});
