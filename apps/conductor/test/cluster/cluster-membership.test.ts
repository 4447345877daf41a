import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterMembership, type NodeKey } from '../../src/cluster/cluster-membership.js';
import { HashRing } from '../../src/cluster/hash-ring.js';
import { createDatabase, type Database } from '../../src/db/create-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ConductorRegistry } from '../../src/store/conductor-registry.js';
import { binomialSpread, seededUuids } from '../support/seeded-keys.js';

const TIMEOUT_MS = 60_000;
const nodes: NodeKey[] = seededUuids(3000, 'cluster-membership').map((uuid) => ({ uuid, driver: 'drac' }));
const [otherUuid, unknownUuid] = seededUuids(2, 'cluster-membership-others') as [string, string];

describe('cluster membership and hash rings', () => {
  let database: Database;
  let registry: ConductorRegistry;
  let now: number;
  const membershipOf = (selfId: string) =>
    new ClusterMembership({
      list: () => registry.list(),
      selfId,
      heartbeatTimeoutMs: TIMEOUT_MS,
      now: () => now,
    });

  beforeAll(async () => {
    database = await createDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    registry = new ConductorRegistry(database.db, { now: () => now });
  });
  beforeEach(async () => {
    now = Date.UTC(2026, 0, 1);
    await database.db.deleteFrom('conductors').execute();
  });
  afterAll(async () => {
    await database.close();
  });

  it('owns nothing before the first refresh, then gives each node to exactly one live member', async () => {
    await registry.register('a', 'host-a', ['drac']);
    await registry.register('b', 'host-b', ['drac']);
    await registry.register('c', 'host-c', ['drac']);
    const views = ['a', 'b', 'c'].map(membershipOf);
    expect(nodes.some((node) => views[0]?.ownsNode(node))).toBe(false);
    for (const view of views) await view.refresh();
    for (const node of nodes) {
      expect(views.filter((view) => view.ownsNode(node))).toHaveLength(1);
      expect(new Set(views.map((view) => view.ownerOf(node)))).toEqual(new Set([views[0]?.ownerOf(node)]));
    }
    const counts = views[0]?.countOwners(nodes) as Map<string, number>;
    expect([...counts.keys()].sort()).toEqual(['a', 'b', 'c']);
    // The load follows each member's share of its ring.
    const shares = new HashRing(['a', 'b', 'c']).arcShares();
    for (const [member, count] of counts) {
      const share = shares.get(member) as number;
      expect(Math.abs(count - nodes.length * share), member).toBeLessThanOrEqual(
        binomialSpread(nodes.length, share),
      );
    }
  });

  it('maps a node only to live members that enable its driver', async () => {
    await registry.register('a', 'host-a', ['drac', 'ipa']);
    await registry.register('b', 'host-b', ['ipa']);
    const view = membershipOf('b');
    await view.refresh();
    const drac = { uuid: otherUuid, driver: 'drac' };
    expect(view.ownerOf(drac)).toBe('a');
    expect(view.ownsNode(drac)).toBe(false);
    expect(view.ownerOf({ uuid: unknownUuid, driver: 'unknown' })).toBeUndefined();
    const ipaOwners = new Set(nodes.map((node) => view.ownerOf({ ...node, driver: 'ipa' })));
    expect(ipaOwners).toEqual(new Set(['a', 'b']));
  });

  it('drops a member whose heartbeat is older than the timeout, moving only its nodes', async () => {
    await registry.register('a', 'host-a', ['drac']);
    await registry.register('b', 'host-b', ['drac']);
    await registry.register('c', 'host-c', ['drac']);
    const view = membershipOf('a');
    await view.refresh();
    const before = new Map(nodes.map((node) => [node.uuid, view.ownerOf(node)]));

    now += TIMEOUT_MS;
    await registry.heartbeat('a', 'host-a', ['drac']);
    await registry.heartbeat('b', 'host-b', ['drac']);
    // Exactly at the timeout "c" still counts as alive: nothing changes.
    expect(await view.refresh()).toBeUndefined();
    now += 1;
    expect(await view.refresh()).toEqual({ before: ['a', 'b', 'c'], after: ['a', 'b'] });
    expect(view.members.map((member) => [member.id, member.alive])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
    for (const node of nodes) {
      const owner = before.get(node.uuid);
      if (owner === 'c') expect(['a', 'b']).toContain(view.ownerOf(node));
      else expect(view.ownerOf(node)).toBe(owner);
    }
  });

  it('drops draining and offline members at once, and takes a restarted one back', async () => {
    await registry.register('a', 'host-a', ['drac']);
    await registry.register('b', 'host-b', ['drac']);
    await registry.register('c', 'host-c', ['drac']);
    const view = membershipOf('a');
    await view.refresh();
    await registry.drain('b');
    await registry.unregister('c');
    expect(await view.refresh()).toEqual({ before: ['a', 'b', 'c'], after: ['a'] });
    expect(nodes.every((node) => view.ownsNode(node))).toBe(true);
    await registry.register('b', 'host-b', ['drac']);
    expect(await view.refresh()).toEqual({ before: ['a'], after: ['a', 'b'] });
    expect(nodes.some((node) => view.ownerOf(node) === 'b')).toBe(true);
  });

  it('owns nothing once leaving, whatever the rings say', async () => {
    await registry.register('a', 'host-a', ['drac']);
    const view = membershipOf('a');
    await view.refresh();
    expect(view.ownsNode(nodes[0] as NodeKey)).toBe(true);
    view.leave();
    expect(view.ownsNode(nodes[0] as NodeKey)).toBe(false);
    expect(view.ownerOf(nodes[0] as NodeKey)).toBe('a');
  });

  it('rejects a heartbeat timeout that is not a positive number', () => {
    expect(
      () =>
        new ClusterMembership({ list: async () => [], selfId: 'a', heartbeatTimeoutMs: 0, now: Date.now }),
    ).toThrow(/heartbeatTimeoutMs must be a positive number, got 0/);
  });
});
