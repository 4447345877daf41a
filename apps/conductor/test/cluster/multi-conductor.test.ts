// Real ironic-conductor processes on one PostgreSQL: what holds whatever the machine's load. Each node is
// visited by exactly its ring owner once the members agree; a joining conductor takes exactly its arcs;
// after kill -9 the survivors visit every node of the dead one and clear its locks; on SIGTERM a stopping
// conductor hands its nodes over while it is still alive. Deadlines only turn a hang into a failure; how
// fast takeover is, is measured by `pnpm --filter @ironic/conductor bench:takeover`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashRing } from '../../src/cluster/hash-ring.js';
import { binomialSpread } from '../support/seeded-keys.js';
import { postgresReachable } from '../support/test-databases.js';
import { waitFor } from './support/conductor-processes.js';
import { VisitCluster } from './support/visit-cluster.js';

const postgresUp = await postgresReachable();

const NODES = 300;
/** Turns a hang into a failure; never reached on a working cluster, however busy the machine. */
const DEADLINE_MS = 120_000;

/** The nodes whose visitors over a round are not exactly their owner, as "uuid: visitors (owner)". */
function misvisited(visitors: Map<string, Set<string>>, owners: Map<string, string>): string[] {
  const wrong: string[] = [];
  for (const [uuid, owner] of owners) {
    const seen = [...(visitors.get(uuid) ?? [])].sort();
    if (seen.join() !== owner) wrong.push(`${uuid}: ${seen.join(', ') || 'nobody'} (owner ${owner})`);
  }
  return wrong;
}

describe.skipIf(!postgresUp)(
  'several conductors on one PostgreSQL (real processes)',
  { timeout: 4 * DEADLINE_MS },
  () => {
    let cluster: VisitCluster;
    const nodesOf = (owners: Map<string, string>, id: string) =>
      [...owners].filter(([, owner]) => owner === id).map(([uuid]) => uuid);
    const setNode = (uuid: string, changes: Record<string, unknown>) =>
      cluster.db.updateTable('nodes').set(changes).where('uuid', '=', uuid).execute();
    const nodeRow = (uuid: string) =>
      cluster.db.selectFrom('nodes').selectAll().where('uuid', '=', uuid).executeTakeFirstOrThrow();
    const until = (what: string, check: () => Promise<boolean>) =>
      waitFor(what, async () => ((await check()) ? true : undefined), DEADLINE_MS);

    beforeAll(async () => {
      cluster = await VisitCluster.open({
        nodes: NODES,
        heartbeatInterval: 0.5,
        heartbeatTimeout: 5,
        spacing: 1,
        // Long enough that only the test ends a held lock during a shutdown.
        shutdownTimeout: 300,
      });
    });

    afterAll(async () => {
      await cluster?.close();
    });

    it('three conductors: once they agree, each node is visited by exactly its owner, the load split by arc share', async () => {
      const members = ['c1', 'c2', 'c3'];
      await cluster.start(...members);
      const owners = cluster.ownersOn(members);
      const visitors = await cluster.visitorsWhileAgreed(members, DEADLINE_MS);
      expect(misvisited(visitors, owners)).toEqual([]);

      // Every conductor counts the same split, and it is the one the ring's arcs predict.
      const counts = new Map(members.map((id) => [id, nodesOf(owners, id).length]));
      const wanted = JSON.stringify([...counts].sort());
      for (const id of members) {
        // Eventually, not at once: a conductor starved past its heartbeat timeout is dropped for a moment.
        await until(`${id} to count the ring's split`, async () => {
          const seen = await cluster.nodeCountsSeenBy(cluster.process(id));
          return JSON.stringify([...seen].sort()) === wanted;
        });
      }
      for (const [id, share] of new HashRing(members).arcShares()) {
        expect(Math.abs((counts.get(id) as number) - NODES * share), id).toBeLessThanOrEqual(
          binomialSpread(NODES, share),
        );
      }
    });

    it('a fourth conductor joins: it takes exactly the nodes on its arcs, and no other node moves', async () => {
      const before = cluster.ownersOn(['c1', 'c2', 'c3']);
      const members = ['c1', 'c2', 'c3', 'c4'];
      await cluster.start('c4');
      const after = cluster.ownersOn(members);
      const visitors = await cluster.visitorsWhileAgreed(members, DEADLINE_MS);
      expect(misvisited(visitors, after)).toEqual([]);

      const moved = cluster.nodeUuids.filter((uuid) => before.get(uuid) !== after.get(uuid));
      expect(moved.filter((uuid) => after.get(uuid) !== 'c4')).toEqual([]);
      const share = new HashRing(members).arcShares().get('c4') as number;
      expect(moved.length).toBeGreaterThan(0);
      expect(Math.abs(moved.length - NODES * share)).toBeLessThanOrEqual(binomialSpread(NODES, share));
    });

    it('kill -9 of one: the survivors visit every node it had, clear its locks and finish its RAID job', async () => {
      const owners = cluster.ownersOn(['c1', 'c2', 'c3', 'c4']);
      const victim = 'c2';
      const survivors = ['c1', 'c3', 'c4'];
      const victimNodes = nodesOf(owners, victim);
      const [jobNode, heldNode] = victimNodes as [string, string];
      // A fake RAID job still running at the kill, and a node whose lock the victim holds.
      await setNode(jobNode, {
        provision_state: 'clean wait',
        target_provision_state: 'manageable',
        driver_internal_info: JSON.stringify({ fake_job: { done: false } }),
      });
      await setNode(heldNode, { extra: JSON.stringify({ hold_lock: true }) });
      await until(
        'the victim to hold its node',
        async () => (await nodeRow(heldNode)).reservation === victim,
      );

      await cluster.kill(victim);
      const killedAt = await cluster.lastVisitId();
      // The BMC finishes the job while its conductor is dead: only a new owner can notice.
      await setNode(jobNode, { driver_internal_info: JSON.stringify({ fake_job: { done: true } }) });

      await cluster.visitedSince(killedAt, victimNodes, {
        except: victim,
        what: 'every node of the killed conductor to be visited by a survivor',
        timeoutMs: DEADLINE_MS,
      });
      await until(
        'no node to stay reserved by the dead conductor',
        async () => (await cluster.reservedBy(victim)) === 0,
      );
      await until(
        'the RAID job to finish on a survivor',
        async () => (await nodeRow(jobNode)).provision_state === 'manageable',
      );
      const job = await nodeRow(jobNode);
      expect(survivors).toContain(
        (job.driver_internal_info as { fake_job: { finished_by: string } }).fake_job.finished_by,
      );
      expect(job.reservation).toBeNull();
      // The held node went to a survivor, whose own sweep holds it now; letting go frees it.
      await until('a survivor to hold the held node', async () =>
        survivors.includes(String((await nodeRow(heldNode)).reservation)),
      );
      await setNode(heldNode, { extra: JSON.stringify({}) });
      await until('the held node to be free', async () => (await nodeRow(heldNode)).reservation === null);

      const visitors = await cluster.visitorsWhileAgreed(survivors, DEADLINE_MS);
      expect(misvisited(visitors, cluster.ownersOn(survivors))).toEqual([]);
    });

    it('SIGTERM of one: while it is still alive and draining, the others take its nodes over; then it exits 0, leaving nothing', async () => {
      const owners = cluster.ownersOn(['c1', 'c3', 'c4']);
      const leaverId = 'c3';
      const leaver = cluster.process(leaverId);
      const [heldNode, ...otherNodes] = nodesOf(owners, leaverId) as [string, ...string[]];
      // A lock the leaver holds keeps it alive in its drain (heartbeating) until the test lets go.
      await setNode(heldNode, { extra: JSON.stringify({ hold_lock: true }) });
      await until(
        'the leaver to hold its node',
        async () => (await nodeRow(heldNode)).reservation === leaverId,
      );

      const stoppedAt = await cluster.lastVisitId();
      leaver.child.kill('SIGTERM');
      await cluster.visitedSince(stoppedAt, otherNodes, {
        except: leaverId,
        what: 'the stopping conductor’s nodes to be visited by the others',
        timeoutMs: DEADLINE_MS,
      });
      // The takeover came from the hand-off, not a heartbeat timeout: the leaver still runs, draining.
      expect(leaver.child.exitCode).toBeNull();
      const draining = await cluster.db
        .selectFrom('conductors')
        .selectAll()
        .where('id', '=', leaverId)
        .executeTakeFirstOrThrow();
      expect(draining).toMatchObject({ online: true, draining: true });

      await setNode(heldNode, { extra: JSON.stringify({}) });
      expect(await leaver.exited).toBe(0);
      cluster.running.delete(leaverId);
      const row = await cluster.db
        .selectFrom('conductors')
        .selectAll()
        .where('id', '=', leaverId)
        .executeTakeFirstOrThrow();
      expect(row.online).toBe(false);
      expect(await cluster.reservedBy(leaverId)).toBe(0);
      await cluster.visitedSince(stoppedAt, [heldNode], {
        except: leaverId,
        what: 'the node the leaver held to be visited by the others',
        timeoutMs: DEADLINE_MS,
      });
    });
  },
);
