import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConductorConfigInput } from '../../src/config/schema.js';
import {
  openTestDatabase,
  POSTGRES_URL,
  postgresReachable,
  type TestDatabase,
} from '../support/test-databases.js';
import {
  type ConductorProcess,
  createWorkDir,
  killProcess,
  removeWorkDir,
  startConductorProcess,
  VISIT_RECORDER,
  waitFor,
} from './support/conductor-processes.js';

const postgresUp = await postgresReachable();

const NODES = 1000;
const HEARTBEAT_INTERVAL = 0.5;
const HEARTBEAT_TIMEOUT = 4;
/** Seconds between two runs of each sweep: the "period" of the assertions. */
const SPACING = 1;
/** How long a dead conductor's nodes may stay unvisited: timeout + one refresh + one sweep, plus slack. */
const TAKEOVER_BOUND_MS = (HEARTBEAT_TIMEOUT + HEARTBEAT_INTERVAL + SPACING) * 1000 + 2500;

const VISITS_TABLE = sql`create table visits (
  id bigserial primary key,
  node_uuid text not null,
  conductor_id text not null,
  visited_at timestamptz not null default clock_timestamp()
)`;

interface ConductorListing {
  conductors: Array<{ id: string; hostname: string; alive: boolean; node_count: number }>;
}

describe.skipIf(!postgresUp)('several conductors on one PostgreSQL (real processes)', () => {
  let testDb: TestDatabase;
  let workDir: string;
  const running = new Map<string, ConductorProcess>();
  const nodeUuids: string[] = [];

  const db = () => testDb.database.db;
  const configFor = (id: string): ConductorConfigInput => ({
    conductor: { id, host: id, heartbeat_interval: HEARTBEAT_INTERVAL, heartbeat_timeout: HEARTBEAT_TIMEOUT },
    api: { host: '127.0.0.1', port: 0 },
    database: { url: POSTGRES_URL, schema: testDb.schema as string },
    periodic: { max_workers: 8, shutdown_timeout: 1 },
    drivers: {
      enabled: [VISIT_RECORDER],
      options: {
        'visit-recorder': { database_url: POSTGRES_URL, schema: testDb.schema, spacing: SPACING },
      },
    },
    log: { level: 'info', pretty: false },
  });
  const start = async (...ids: string[]) => {
    const started = await Promise.all(ids.map((id) => startConductorProcess(workDir, id, configFor(id))));
    for (const conductor of started) running.set(conductor.id, conductor);
  };
  const dbNow = async (): Promise<number> => {
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db());
    return (rows[0] as { now: Date }).now.getTime();
  };
  const listing = async (conductor: ConductorProcess): Promise<ConductorListing> => {
    const response = await fetch(`${conductor.address}/v1/conductors`);
    return (await response.json()) as ConductorListing;
  };
  /** Until every running conductor's rings are built over exactly `ids`. */
  const converged = (ids: readonly string[]) =>
    waitFor(
      `every conductor to see ${ids.join(', ')} alive`,
      async () => {
        for (const conductor of running.values()) {
          const alive = (await listing(conductor)).conductors.filter((c) => c.alive).map((c) => c.id);
          if (alive.sort().join() !== [...ids].sort().join()) return undefined;
        }
        return true;
      },
      TAKEOVER_BOUND_MS,
    );
  /** Who visited each node in (from, to]: node → conductor ids, one entry per visit, in order. */
  const visitsBetween = async (from: number, to: number): Promise<Map<string, Array<[string, number]>>> => {
    const rows = await db()
      .selectFrom('visits' as never)
      .select(['node_uuid', 'conductor_id', 'visited_at'] as never[])
      .where('visited_at' as never, '>', new Date(from) as never)
      .where('visited_at' as never, '<=', new Date(to) as never)
      .orderBy('visited_at' as never)
      .execute();
    const byNode = new Map<string, Array<[string, number]>>();
    for (const row of rows as Array<{ node_uuid: string; conductor_id: string; visited_at: Date }>) {
      const list = byNode.get(row.node_uuid) ?? [];
      list.push([row.conductor_id, row.visited_at.getTime()]);
      byNode.set(row.node_uuid, list);
    }
    return byNode;
  };
  /** Waits until the visits cover `periods` whole periods after a settling period, and returns that window. */
  const steadyWindow = async (periods: number): Promise<{ from: number; to: number }> => {
    const from = (await dbNow()) + 1.5 * SPACING * 1000;
    const to = from + periods * SPACING * 1000;
    await waitFor(
      'the visits to cover the window',
      async () => ((await dbNow()) > to + 200 ? true : undefined),
      (periods + 4) * 1000,
    );
    return { from, to };
  };
  /** Each node's single visitor over a window; fails when a node had none or several. */
  const ownersIn = async (window: { from: number; to: number }): Promise<Map<string, string>> => {
    const visits = await visitsBetween(window.from, window.to);
    const owners = new Map<string, string>();
    const shared: string[] = [];
    for (const uuid of nodeUuids) {
      const visitors = new Set((visits.get(uuid) ?? []).map(([id]) => id));
      if (visitors.size > 1) shared.push(`${uuid}: ${[...visitors].join(', ')}`);
      const [only] = visitors;
      if (only !== undefined) owners.set(uuid, only);
    }
    expect(shared, 'nodes visited by more than one conductor').toEqual([]);
    expect(owners.size, 'nodes visited in the window').toBe(NODES);
    return owners;
  };
  const reservedBy = async (id: string): Promise<number> => {
    const row = await db()
      .selectFrom('nodes')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('reservation', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  beforeAll(async () => {
    testDb = await openTestDatabase('postgres');
    await VISITS_TABLE.execute(db());
    const { rows } = await sql<{ uuid: string }>`
      insert into nodes (uuid, driver, provision_state, created_at)
      select gen_random_uuid()::text, 'visit-recorder', 'manageable', now() from generate_series(1, ${NODES})
      returning uuid`.execute(db());
    nodeUuids.push(...rows.map((row) => row.uuid));
    workDir = await createWorkDir();
  }, 30_000);

  afterAll(async () => {
    await Promise.all([...running.values()].map(killProcess));
    if (workDir) await removeWorkDir(workDir);
    await testDb?.dispose();
  });

  it('three conductors: each node visited by exactly one conductor every period, load even within ±15 %', async () => {
    await start('c1', 'c2', 'c3');
    await converged(['c1', 'c2', 'c3']);
    const window = await steadyWindow(4);
    const visits = await visitsBetween(window.from, window.to);
    const owners = await ownersIn(window);
    for (const uuid of nodeUuids) {
      const times = (visits.get(uuid) ?? []).map(([, at]) => at);
      // Once per period: 4 periods give 4 visits (3 or 5 when a visit falls on the window's edge)...
      expect(times.length, `visits of ${uuid}`).toBeGreaterThanOrEqual(3);
      expect(times.length, `visits of ${uuid}`).toBeLessThanOrEqual(5);
      // ...and never two within one period.
      for (let i = 1; i < times.length; i++) {
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThan(SPACING * 500);
      }
    }
    const perConductor = new Map<string, number>();
    for (const owner of owners.values()) perConductor.set(owner, (perConductor.get(owner) ?? 0) + 1);
    expect([...perConductor.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
    for (const count of perConductor.values()) {
      expect(Math.abs(count - NODES / 3)).toBeLessThanOrEqual((NODES / 3) * 0.15);
    }
    const counts = (await listing(running.get('c1') as ConductorProcess)).conductors;
    expect(counts.map((c) => [c.id, c.node_count])).toEqual(
      ['c1', 'c2', 'c3'].map((id) => [id, perConductor.get(id)]),
    );
  });

  it('a fourth conductor joins: it takes its share and no more than 35 % of the nodes move', async () => {
    const before = await ownersIn(await steadyWindow(2));
    await start('c4');
    await converged(['c1', 'c2', 'c3', 'c4']);
    const after = await ownersIn(await steadyWindow(2));
    const moved = nodeUuids.filter((uuid) => before.get(uuid) !== after.get(uuid));
    expect(moved.length / NODES).toBeLessThanOrEqual(0.35);
    // Only onto the newcomer: a join never shuffles nodes between the others.
    expect(moved.every((uuid) => after.get(uuid) === 'c4')).toBe(true);
    expect(moved.length).toBeGreaterThan(0);
  });

  it('kill -9 of one: the others own and visit its nodes in time, clear its locks and finish its RAID job', async () => {
    const owners = await ownersIn(await steadyWindow(2));
    const victim = 'c2';
    const victimNodes = nodeUuids.filter((uuid) => owners.get(uuid) === victim);
    const [jobNode, heldNode] = victimNodes as [string, string];
    // A fake RAID job still running at the kill, and a node whose lock the victim holds.
    await db()
      .updateTable('nodes')
      .set({
        provision_state: 'clean wait',
        target_provision_state: 'manageable',
        driver_internal_info: JSON.stringify({ fake_job: { completes_at: (await dbNow()) + 600_000 } }),
      })
      .where('uuid', '=', jobNode)
      .execute();
    await db()
      .updateTable('nodes')
      .set({ extra: JSON.stringify({ hold_lock_ms: 600_000 }) })
      .where('uuid', '=', heldNode)
      .execute();
    await waitFor(
      'the victim to hold its node',
      async () => ((await reservedBy(victim)) > 0 ? true : undefined),
      5000,
    );

    await killProcess(running.get(victim) as ConductorProcess);
    running.delete(victim);
    const killedAt = await dbNow();
    const killedAtWall = Date.now();
    // The BMC finishes the job while its conductor is dead: only a new owner can notice.
    await db()
      .updateTable('nodes')
      .set({ driver_internal_info: JSON.stringify({ fake_job: { completes_at: killedAt } }) })
      .where('uuid', '=', jobNode)
      .execute();

    // Bounded polling on the database only: asking a conductor's API must not speed its rings up.
    await waitFor(
      'every node of the killed conductor to be visited by a survivor',
      async () => {
        const visits = await visitsBetween(killedAt, await dbNow());
        const left = victimNodes.filter((uuid) => !(visits.get(uuid) ?? []).some(([id]) => id !== victim));
        return left.length === 0 ? true : undefined;
      },
      TAKEOVER_BOUND_MS,
    );
    await waitFor(
      'no node to stay reserved by the dead conductor',
      async () => ((await reservedBy(victim)) === 0 ? true : undefined),
      TAKEOVER_BOUND_MS - (Date.now() - killedAtWall),
    );
    const job = await waitFor(
      'the RAID job to finish on a survivor',
      async () => {
        const node = await db()
          .selectFrom('nodes')
          .selectAll()
          .where('uuid', '=', jobNode)
          .executeTakeFirstOrThrow();
        return node.provision_state === 'manageable' ? node : undefined;
      },
      TAKEOVER_BOUND_MS,
    );
    expect(Date.now() - killedAtWall).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
    expect((job.driver_internal_info as { fake_job: { finished_by: string } }).fake_job.finished_by).toMatch(
      /^c[134]$/,
    );
    expect(job.reservation).toBeNull();
    // The held node now sits with a survivor, reserved by it (the handler is still holding it).
    const held = await db()
      .selectFrom('nodes')
      .select('reservation')
      .where('uuid', '=', heldNode)
      .executeTakeFirstOrThrow();
    expect(held.reservation === null || /^c[134]$/.test(held.reservation)).toBe(true);
    await converged(['c1', 'c3', 'c4']);
    await ownersIn(await steadyWindow(2));
  });

  it('SIGTERM of one: it goes offline and the others take over before its heartbeat could time out', async () => {
    const owners = await ownersIn(await steadyWindow(2));
    const leaver = running.get('c3') as ConductorProcess;
    const leaverNodes = nodeUuids.filter((uuid) => owners.get(uuid) === 'c3');
    const stoppedAt = await dbNow();
    const stoppedAtWall = Date.now();
    leaver.child.kill('SIGTERM');
    await waitFor(
      'the stopping conductor’s nodes to be visited by the others',
      async () => {
        const visits = await visitsBetween(stoppedAt, await dbNow());
        const left = leaverNodes.filter((uuid) => !(visits.get(uuid) ?? []).some(([id]) => id !== 'c3'));
        return left.length === 0 ? true : undefined;
      },
      HEARTBEAT_TIMEOUT * 1000,
    );
    expect(Date.now() - stoppedAtWall).toBeLessThan(HEARTBEAT_TIMEOUT * 1000);
    expect(await leaver.exited).toBe(0);
    running.delete('c3');
    const row = await db()
      .selectFrom('conductors')
      .selectAll()
      .where('id', '=', 'c3')
      .executeTakeFirstOrThrow();
    expect(row.online).toBe(false);
    expect(await reservedBy('c3')).toBe(0);
  });
});
