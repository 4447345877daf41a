// How fast conductors agree on a fleet and take over each other's nodes: real ironic-conductor processes
// on the test PostgreSQL, with the visit-recorder driver recording every per-node visit. The tests check
// that takeover happens (test/cluster/multi-conductor.test.ts); this measures how long it takes, from the
// visits' own timestamps in the database, and prints the figures.
//
// Usage: pnpm --filter @ironic/conductor bench:takeover [-- --nodes 1000 --heartbeat-interval 1
//        --heartbeat-timeout 5 --spacing 1]   (build the conductor first; DATABASE_URL as for the tests)
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { waitFor } from '../test/cluster/support/conductor-processes.js';
import { VisitCluster } from '../test/cluster/support/visit-cluster.js';
import { POSTGRES_URL, postgresReachable } from '../test/support/postgres-url.js';

const argv = process.argv.slice(2);
const { values } = parseArgs({
  // `pnpm bench:takeover -- --nodes 2000` hands the `--` on.
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    nodes: { type: 'string', default: '1000' },
    'heartbeat-interval': { type: 'string', default: '1' },
    'heartbeat-timeout': { type: 'string', default: '5' },
    spacing: { type: 'string', default: '1' },
  },
});
const options = {
  nodes: Number(values.nodes),
  heartbeatInterval: Number(values['heartbeat-interval']),
  heartbeatTimeout: Number(values['heartbeat-timeout']),
  spacing: Number(values.spacing),
  shutdownTimeout: 300,
};
const DEADLINE_MS = 300_000;

if (!(await postgresReachable())) {
  console.error(`PostgreSQL is not reachable at ${POSTGRES_URL}: set DATABASE_URL to one`);
  process.exit(1);
}

const figures: Array<{ step: string; ms: number; detail: string }> = [];
const record = (step: string, ms: number, detail = '') => {
  figures.push({ step, ms: Math.round(ms), detail });
  console.log(`${step.padEnd(46)} ${String(Math.round(ms)).padStart(7)} ms  ${detail}`);
};

const cluster = await VisitCluster.open(options);
const dbNow = async () => {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(cluster.db);
  return (rows[0] as { now: Date }).now.getTime();
};
/** When the last of `uuids` was first visited after visit `after` by someone other than `except` (db time). */
const lastFirstVisit = async (after: number, uuids: readonly string[], except?: string) => {
  const { rows } = await sql<{ at: Date }>`
    select max(first) as at from (
      select min(visited_at) as first from visits
      where id > ${after} and node_uuid = any(${uuids}::text[]) and conductor_id <> ${except ?? ''}
      group by node_uuid) as firsts`.execute(cluster.db);
  return (rows[0] as { at: Date }).at.getTime();
};
const nodesOf = (owners: Map<string, string>, id: string) =>
  [...owners].filter(([, owner]) => owner === id).map(([uuid]) => uuid);

try {
  console.log(
    `${options.nodes} nodes; heartbeat every ${options.heartbeatInterval} s, timeout ${options.heartbeatTimeout} s; ` +
      `each sweep every ${options.spacing} s`,
  );

  let started = await dbNow();
  let after = await cluster.lastVisitId();
  await cluster.start('c1', 'c2', 'c3');
  record('3 conductors: processes started', (await dbNow()) - started);
  await cluster.visitedSince(after, cluster.nodeUuids, {
    what: 'every node visited',
    timeoutMs: DEADLINE_MS,
  });
  record('3 conductors: every node visited once', (await lastFirstVisit(after, cluster.nodeUuids)) - started);
  await cluster.visitorsWhileAgreed(['c1', 'c2', 'c3'], DEADLINE_MS);

  // A fourth joins: how long until it visits every node of its arcs.
  const joinerNodes = nodesOf(cluster.ownersOn(['c1', 'c2', 'c3', 'c4']), 'c4');
  started = await dbNow();
  after = await cluster.lastVisitId();
  await cluster.start('c4');
  await waitFor(
    'the joiner to visit its nodes',
    async () => {
      const visitors = await cluster.visitorsBetween(after);
      return joinerNodes.every((uuid) => visitors.get(uuid)?.has('c4')) ? true : undefined;
    },
    DEADLINE_MS,
  );
  const { rows: joined } = await sql<{ at: Date }>`
    select max(first) as at from (
      select min(visited_at) as first from visits
      where id > ${after} and conductor_id = 'c4' group by node_uuid) as firsts`.execute(cluster.db);
  record(
    'join: the 4th visits all its nodes',
    (joined[0] as { at: Date }).at.getTime() - started,
    `${joinerNodes.length} nodes`,
  );
  await cluster.visitorsWhileAgreed(['c1', 'c2', 'c3', 'c4'], DEADLINE_MS);

  // kill -9: how long until the survivors visit all of the dead one's nodes and clear its lock.
  const victimNodes = nodesOf(cluster.ownersOn(['c1', 'c2', 'c3', 'c4']), 'c2');
  const held = victimNodes[0] as string;
  await cluster.db
    .updateTable('nodes')
    .set({ extra: JSON.stringify({ hold_lock: true }) })
    .where('uuid', '=', held)
    .execute();
  await waitFor(
    'c2 to hold a node',
    async () => ((await cluster.reservedBy('c2')) > 0 ? true : undefined),
    DEADLINE_MS,
  );
  after = await cluster.lastVisitId();
  await cluster.kill('c2');
  const killedAt = await dbNow();
  await cluster.visitedSince(after, victimNodes, { except: 'c2', what: 'takeover', timeoutMs: DEADLINE_MS });
  record(
    'kill -9: survivors visit all its nodes',
    (await lastFirstVisit(after, victimNodes, 'c2')) - killedAt,
    `${victimNodes.length} nodes; heartbeat timeout ${options.heartbeatTimeout} s`,
  );
  await waitFor(
    'no lock left',
    async () => ((await cluster.reservedBy('c2')) === 0 ? true : undefined),
    DEADLINE_MS,
  );
  record('kill -9: its lock cleared (seen by polling)', (await dbNow()) - killedAt);
  await cluster.db
    .updateTable('nodes')
    .set({ extra: JSON.stringify({}) })
    .where('uuid', '=', held)
    .execute();
  await cluster.visitorsWhileAgreed(['c1', 'c3', 'c4'], DEADLINE_MS);

  // SIGTERM: the hand-off, without waiting for a heartbeat timeout.
  const leaverNodes = nodesOf(cluster.ownersOn(['c1', 'c3', 'c4']), 'c3');
  const leaver = cluster.process('c3');
  after = await cluster.lastVisitId();
  const stoppedAt = await dbNow();
  leaver.child.kill('SIGTERM');
  await cluster.visitedSince(after, leaverNodes, { except: 'c3', what: 'hand-off', timeoutMs: DEADLINE_MS });
  record(
    'SIGTERM: the others visit all its nodes',
    (await lastFirstVisit(after, leaverNodes, 'c3')) - stoppedAt,
    `${leaverNodes.length} nodes`,
  );
  await leaver.exited;
  record('SIGTERM: the process has exited', (await dbNow()) - stoppedAt);
  cluster.running.delete('c3');

  console.log(JSON.stringify({ bench: 'cluster-takeover', ...options, figures }));
} finally {
  await cluster.close();
}
