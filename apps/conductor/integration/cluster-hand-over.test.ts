// Real ironic-conductor processes on one PostgreSQL, reached through a TCP proxy the test cuts and
// restores (a database restart, on the test's cue). The visit recorder logs every visit in the
// database's order; across a join, a kill -9, a clean leave and a database restart, each node's
// visitors must follow its owners: its old owner until the hand-over, then its new one — never both
// taking turns, which is what two conductors visiting one node in the same period looks like. No
// live conductor's lock is cleared. Deadlines only turn a hang into a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test/cluster/support/conductor-processes.js';
import { VisitCluster } from '../test/cluster/support/visit-cluster.js';
import { TcpProxy } from '../test/support/tcp-proxy.js';
import { POSTGRES_URL, postgresReachable } from '../test/support/test-databases.js';

const postgresUp = await postgresReachable();

const NODES = 80;
/** Turns a hang into a failure; never reached on a working cluster, however busy the machine. */
const DEADLINE_MS = 120_000;
const MEMBERSHIP_CHANGED = 'cluster membership changed; hash rings rebuilt';
const FENCED =
  'no heartbeat for longer than heartbeat_timeout: fenced, owning no node until a heartbeat succeeds';
const UNFENCED = 'heartbeat succeeded again: no longer fenced';
const CLEARED = 'cleared reservations of dead conductors';

/** `items` without repeats of the same item in a row. */
function collapse(items: readonly string[]): string[] {
  return items.filter((item, index) => index === 0 || items[index - 1] !== item);
}

/** Whether `sequence` is `allowed` with some items left out (in order). */
function isSubsequence(sequence: readonly string[], allowed: readonly string[]): boolean {
  let at = 0;
  for (const item of sequence) {
    while (at < allowed.length && allowed[at] !== item) at++;
    if (at === allowed.length) return false;
    at++;
  }
  return true;
}

describe.skipIf(!postgresUp)(
  'hand-over between conductors: each node visited by one conductor at a time (real processes, database behind a proxy)',
  { timeout: 8 * DEADLINE_MS },
  () => {
    let proxy: TcpProxy;
    let cluster: VisitCluster;
    /** How many log lines each running conductor had at the start of the current phase. */
    let marks = new Map<string, number>();

    /** Log lines of the running conductors since the phase began, parsed. */
    const phaseLogs = () =>
      [...cluster.running.values()].flatMap((conductor) =>
        conductor.logs.slice(marks.get(conductor.id) ?? 0).map((line): Record<string, unknown> => {
          try {
            return { id: conductor.id, ...(JSON.parse(line) as Record<string, unknown>) };
          } catch {
            return { id: conductor.id, msg: line };
          }
        }),
      );
    const beginPhase = async () => {
      marks = new Map(
        [...cluster.running.values()].map((conductor) => [conductor.id, conductor.logs.length]),
      );
      return cluster.lastVisitId();
    };
    const until = (what: string, check: () => boolean | Promise<boolean>) =>
      waitFor(what, async () => ((await check()) ? true : undefined), DEADLINE_MS);

    /**
     * After a change from the members `before` to `after`: waits for a whole round in which every node is
     * visited by exactly its owner among `after`, then checks every visit since `from`: each node's
     * visitors, in order, are its owner before then its owner after. A ring a conductor logged in between
     * (one starved past its timeout on a very busy machine) adds its owners in the middle.
     */
    async function expectHandOver(from: number, before: readonly string[], after: readonly string[]) {
      const visitors = await cluster.visitorsWhileAgreed(after, DEADLINE_MS);
      const ownersAfter = cluster.ownersOn(after);
      for (const uuid of cluster.nodeUuids) {
        expect([...(visitors.get(uuid) ?? [])], uuid).toEqual([ownersAfter.get(uuid)]);
      }
      const upTo = await cluster.lastVisitId();
      const key = (ids: readonly string[]) => [...ids].sort().join();
      const between = new Map<string, string[]>();
      for (const line of phaseLogs()) {
        if (line.msg !== MEMBERSHIP_CHANGED || !Array.isArray(line.after)) continue;
        const ring = line.after as string[];
        if (key(ring) !== key(before) && key(ring) !== key(after)) between.set(key(ring), ring);
      }
      const rings = [before, ...between.values(), after].map((ids) => cluster.ownersOn(ids));
      const sequences = await cluster.visitSequences(from, upTo);
      const wrong: string[] = [];
      for (const uuid of cluster.nodeUuids) {
        const seen = collapse(sequences.get(uuid) ?? []);
        const allowed = collapse(rings.map((owners) => owners.get(uuid) as string));
        if (!isSubsequence(seen, allowed))
          wrong.push(`${uuid}: ${seen.join(' → ')} (owners ${allowed.join(' → ')})`);
      }
      expect(wrong).toEqual([]);
    }

    beforeAll(async () => {
      const target = new URL(POSTGRES_URL);
      proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cluster = await VisitCluster.open({
        nodes: NODES,
        // Sweeps far more often than heartbeats: were two conductors to own a node between two heartbeats,
        // both would visit it several times, in turn.
        heartbeatInterval: 2,
        heartbeatTimeout: 8,
        spacing: 0.25,
        shutdownTimeout: 300,
        databaseUrl: proxy.rewrite(POSTGRES_URL),
      });
      await cluster.start('c1', 'c2', 'c3');
      await cluster.visitorsWhileAgreed(['c1', 'c2', 'c3'], DEADLINE_MS);
    });
    afterAll(async () => {
      proxy?.restore();
      await cluster?.close();
      await proxy?.stop();
    });

    it('a conductor joins: each node it takes is visited by its old owner, then by it, never by both in turn', async () => {
      const from = await beginPhase();
      await cluster.start('c4');
      await expectHandOver(from, ['c1', 'c2', 'c3'], ['c1', 'c2', 'c3', 'c4']);
    });

    it('kill -9 of one: its nodes go to the survivors, and no other node moves', async () => {
      const from = await beginPhase();
      await cluster.kill('c2');
      await expectHandOver(from, ['c1', 'c2', 'c3', 'c4'], ['c1', 'c3', 'c4']);
    });

    it('a clean leave (SIGTERM): its nodes go to the others, one visitor at a time', async () => {
      const leaver = cluster.process('c3');
      const from = await beginPhase();
      leaver.child.kill('SIGTERM');
      expect(await leaver.exited).toBe(0);
      cluster.running.delete('c3');
      await expectHandOver(from, ['c1', 'c3', 'c4'], ['c1', 'c4']);
    });

    it('a database restart longer than the timeout: every conductor fences itself, then nobody is found dead, no node moves and no live lock is cleared', async () => {
      const members = ['c1', 'c4'];
      const owners = cluster.ownersOn(members);
      const heldNode = cluster.nodeUuids.find((uuid) => owners.get(uuid) === 'c1') as string;
      await cluster.db
        .updateTable('nodes')
        .set({ extra: JSON.stringify({ hold_lock: true }) })
        .where('uuid', '=', heldNode)
        .execute();
      const reservation = async () =>
        (
          await cluster.db
            .selectFrom('nodes')
            .select('reservation')
            .where('uuid', '=', heldNode)
            .executeTakeFirst()
        )?.reservation;
      await until('c1 to hold its node', async () => (await reservation()) === 'c1');

      const from = await beginPhase();
      proxy.cut();
      // Down until every conductor has gone longer than its timeout without a heartbeat, by its own count.
      await until('every conductor to fence itself', () =>
        members.every((id) => phaseLogs().some((line) => line.id === id && line.msg === FENCED)),
      );
      proxy.restore();
      await until('every conductor to heartbeat again', () =>
        members.every((id) => phaseLogs().some((line) => line.id === id && line.msg === UNFENCED)),
      );
      await expectHandOver(from, members, members);
      // The lock c1 held through the outage is still its own, and nobody cleared anything.
      expect(await reservation()).toBe('c1');
      expect(phaseLogs().filter((line) => line.msg === CLEARED)).toEqual([]);
      await cluster.db
        .updateTable('nodes')
        .set({ extra: JSON.stringify({}) })
        .where('uuid', '=', heldNode)
        .execute();
      await until('the held node to be free', async () => (await reservation()) === null);
    });

    it('the killed conductor comes back: it takes its nodes back the same way', async () => {
      const from = await beginPhase();
      await cluster.start('c2');
      await expectHandOver(from, ['c1', 'c4'], ['c1', 'c2', 'c4']);
    });
  },
);
