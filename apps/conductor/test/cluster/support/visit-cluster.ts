// Several real ironic-conductor processes on one PostgreSQL schema, with the visit-recorder driver
// recording every per-node visit: what the cluster tests assert on, and what the takeover benchmark
// times. Everything is read from the database or the conductors' own API and logs; nothing here
// depends on how fast the machine is, except the deadlines that turn a hang into a failure.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import { HashRing } from '../../../src/cluster/hash-ring.js';
import type { ConductorConfigInput } from '../../../src/config/schema.js';
import { seededUuids } from '../../support/seeded-keys.js';
import { openTestDatabase, POSTGRES_URL, type TestDatabase } from '../../support/test-databases.js';
import {
  type ConductorProcess,
  createWorkDir,
  killProcess,
  removeWorkDir,
  startConductorProcess,
  VISIT_RECORDER,
  waitFor,
} from './conductor-processes.js';

/** The sweep that records a visit of every node a conductor owns. */
export const RECORD_VISIT_TASK = 'VisitPower.recordVisit';
/** What a conductor logs when its hash rings change. */
const MEMBERSHIP_CHANGED = 'cluster membership changed; hash rings rebuilt';

/** Options of {@link VisitCluster.open}. */
export interface VisitClusterOptions {
  /** Nodes in the fleet (their UUIDs are seeded, the same on every run). */
  readonly nodes: number;
  /** The conductors' `heartbeat_interval` and `heartbeat_timeout`, seconds. */
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  /** Seconds between two runs of each sweep. */
  readonly spacing: number;
  /** The conductors' `periodic.shutdown_timeout`, seconds. */
  readonly shutdownTimeout: number;
  /**
   * Where the conductors reach PostgreSQL (e.g. through a TCP proxy the test cuts). Default: the test
   * PostgreSQL. The visit recorder always writes its visits straight to the test PostgreSQL.
   */
  readonly databaseUrl?: string;
}

interface ConductorListing {
  conductors: Array<{ id: string; alive: boolean; node_count: number }>;
}

interface TaskListing {
  periodic_tasks: Array<{ name: string; runs: number }>;
}

/** A fleet in its own PostgreSQL schema, and the conductor processes that share it. */
export class VisitCluster {
  /** The running conductors, by id. */
  readonly running = new Map<string, ConductorProcess>();

  private constructor(
    private readonly options: VisitClusterOptions,
    private readonly testDb: TestDatabase,
    private readonly workDir: string,
    /** Every node's UUID, in insertion order. */
    readonly nodeUuids: readonly string[],
  ) {}

  /** Creates the schema, the visits table and the nodes (`manageable`, driver `visit-recorder`). */
  static async open(options: VisitClusterOptions): Promise<VisitCluster> {
    const testDb = await openTestDatabase('postgres');
    try {
      const db = testDb.database.db;
      await sql`create table visits (
        id bigserial primary key,
        node_uuid text not null,
        conductor_id text not null,
        visited_at timestamptz not null default clock_timestamp()
      )`.execute(db);
      const uuids = seededUuids(options.nodes, 'visit-cluster');
      await sql`
        insert into nodes (uuid, driver, provision_state, created_at)
        select uuid, 'visit-recorder', 'manageable', now() from unnest(${uuids}::text[]) as uuid`.execute(db);
      return new VisitCluster(options, testDb, await createWorkDir(), uuids);
    } catch (error) {
      await testDb.dispose();
      throw error;
    }
  }

  /** The test schema's database (kysely). */
  get db() {
    return this.testDb.database.db;
  }

  /** The owner of every node on the ring of `members`, as each of those conductors builds it. */
  ownersOn(members: readonly string[]): Map<string, string> {
    const ring = new HashRing(members);
    return new Map(this.nodeUuids.map((uuid) => [uuid, ring.get(uuid) as string]));
  }

  /** Starts conductors with these ids (in parallel) and waits for each one's "conductor started". */
  async start(...ids: string[]): Promise<void> {
    const started = await Promise.all(
      ids.map((id) => startConductorProcess(this.workDir, id, this.configFor(id))),
    );
    for (const conductor of started) this.running.set(conductor.id, conductor);
  }

  /** `kill -9`, and waits until the process is gone. */
  async kill(id: string): Promise<void> {
    await killProcess(this.process(id));
    this.running.delete(id);
  }

  /** The running conductor `id`. */
  process(id: string): ConductorProcess {
    const conductor = this.running.get(id);
    if (!conductor) throw new Error(`conductor ${id} is not running`);
    return conductor;
  }

  /** Until every running conductor lists exactly `ids` as alive (its rings are built over them). */
  async converged(ids: readonly string[], timeoutMs: number): Promise<void> {
    const wanted = [...ids].sort().join();
    await waitFor(
      `every conductor to see ${ids.join(', ')} alive`,
      async () => {
        for (const conductor of this.running.values()) {
          if ((await this.aliveSeenBy(conductor)).join() !== wanted) return undefined;
        }
        return true;
      },
      timeoutMs,
    );
  }

  /** The live members as `conductor`'s last membership refresh saw them, sorted. */
  async aliveSeenBy(conductor: ConductorProcess): Promise<string[]> {
    const { conductors } = await getJson<ConductorListing>(conductor, '/v1/conductors');
    return conductors
      .filter((member) => member.alive)
      .map((member) => member.id)
      .sort();
  }

  /** The node count each member gets on `conductor`'s rings, by id. */
  async nodeCountsSeenBy(conductor: ConductorProcess): Promise<Map<string, number>> {
    const { conductors } = await getJson<ConductorListing>(conductor, '/v1/conductors');
    return new Map(conductors.filter((c) => c.alive).map((c) => [c.id, c.node_count]));
  }

  /**
   * Until every running conductor has finished a visit sweep that started after this call: from then on
   * no sweep picked its nodes before the call (a sweep lists its nodes when it starts).
   */
  async freshSweeps(timeoutMs: number): Promise<void> {
    const conductors = [...this.running.values()];
    const before = await Promise.all(
      conductors.map((conductor) => finishedRuns(conductor, RECORD_VISIT_TASK)),
    );
    await Promise.all(
      conductors.map((conductor, index) =>
        waitFor(
          `${conductor.id} to finish a fresh visit sweep`,
          async () =>
            (await finishedRuns(conductor, RECORD_VISIT_TASK)) >= (before[index] as number) + 2
              ? true
              : undefined,
          timeoutMs,
        ),
      ),
    );
  }

  /** How many membership changes each running conductor has logged, in total. */
  membershipChanges(): number {
    let changes = 0;
    for (const conductor of this.running.values()) {
      changes += conductor.logs.filter((line) => line.includes(MEMBERSHIP_CHANGED)).length;
    }
    return changes;
  }

  /** The id of the last visit recorded so far (0 before any): visits after it have larger ids. */
  async lastVisitId(): Promise<number> {
    const { rows } = await sql<{ id: string | null }>`select max(id) as id from visits`.execute(this.db);
    return Number(rows[0]?.id ?? 0);
  }

  /** Each node's visitors in the visits with ids in (after, upTo], in the order of the visits. */
  async visitSequences(after: number, upTo: number): Promise<Map<string, string[]>> {
    const { rows } = await sql<{ node_uuid: string; conductor_id: string }>`
      select node_uuid, conductor_id from visits where id > ${after} and id <= ${upTo} order by id`.execute(
      this.db,
    );
    const sequences = new Map<string, string[]>();
    for (const row of rows) {
      const sequence = sequences.get(row.node_uuid) ?? [];
      sequence.push(row.conductor_id);
      sequences.set(row.node_uuid, sequence);
    }
    return sequences;
  }

  /** Who visited each node in the visits with ids in (after, upTo]: node → visitor ids. */
  async visitorsBetween(after: number, upTo = Number.MAX_SAFE_INTEGER): Promise<Map<string, Set<string>>> {
    const { rows } = await sql<{ node_uuid: string; conductor_id: string }>`
      select distinct node_uuid, conductor_id from visits where id > ${after} and id <= ${upTo}`.execute(
      this.db,
    );
    const visitors = new Map<string, Set<string>>();
    for (const row of rows) {
      const set = visitors.get(row.node_uuid) ?? new Set<string>();
      set.add(row.conductor_id);
      visitors.set(row.node_uuid, set);
    }
    return visitors;
  }

  /** Until each of `uuids` has a visit after visit `after` by a conductor other than `except`. */
  async visitedSince(
    after: number,
    uuids: readonly string[],
    options: { except?: string; what: string; timeoutMs: number },
  ): Promise<void> {
    await waitFor(
      options.what,
      async () => {
        const visitors = await this.visitorsBetween(after);
        const left = uuids.filter(
          (uuid) => ![...(visitors.get(uuid) ?? [])].some((id) => id !== options.except),
        );
        return left.length === 0 ? true : undefined;
      },
      options.timeoutMs,
    );
  }

  /**
   * Each node's visitors over a whole round of visits (every node visited at least once) during which
   * every running conductor saw `ids` alive and none changed its rings. A round that a membership change
   * disturbed (a conductor starved past its heartbeat timeout on a very busy machine) is thrown away and
   * taken again; only the deadline ends the attempts.
   */
  async visitorsWhileAgreed(ids: readonly string[], timeoutMs: number): Promise<Map<string, Set<string>>> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    for (;;) {
      await this.converged(ids, left());
      const changes = this.membershipChanges();
      await this.freshSweeps(left());
      const after = await this.lastVisitId();
      await this.visitedSince(after, this.nodeUuids, { what: 'a visit of every node', timeoutMs: left() });
      const upTo = await this.lastVisitId();
      await this.converged(ids, left());
      await nextTurn(); // log lines written before the answers above have been read by now
      if (this.membershipChanges() === changes) return this.visitorsBetween(after, upTo);
    }
  }

  /** How many nodes `id` holds a reservation on. */
  async reservedBy(id: string): Promise<number> {
    const row = await this.db
      .selectFrom('nodes')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('reservation', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Kills every conductor still running, removes the working directory and drops the schema. */
  async close(): Promise<void> {
    await Promise.all([...this.running.values()].map(killProcess));
    this.running.clear();
    await removeWorkDir(this.workDir);
    await this.testDb.dispose();
  }

  private configFor(id: string): ConductorConfigInput {
    const { heartbeatInterval, heartbeatTimeout, spacing, shutdownTimeout } = this.options;
    const schema = this.testDb.schema as string;
    return {
      conductor: { id, host: id, heartbeat_interval: heartbeatInterval, heartbeat_timeout: heartbeatTimeout },
      api: { host: '127.0.0.1', port: 0 },
      // Small pools: the cluster files run beside other files on one PostgreSQL (max_connections 100).
      database: { url: this.options.databaseUrl ?? POSTGRES_URL, schema, max_pool_size: 4 },
      periodic: { max_workers: 8, shutdown_timeout: shutdownTimeout },
      drivers: {
        enabled: [VISIT_RECORDER],
        options: { 'visit-recorder': { database_url: POSTGRES_URL, schema, spacing } },
      },
      log: { level: 'info', pretty: false },
    };
  }
}

/** `GET` a conductor's API and parse the JSON answer; fails on an HTTP error. */
export async function getJson<T>(conductor: ConductorProcess, path: string): Promise<T> {
  const response = await fetch(`${conductor.address}${path}`);
  if (!response.ok) throw new Error(`GET ${path} on ${conductor.id}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** How many runs of the periodic task `name` a conductor has finished. */
export async function finishedRuns(conductor: ConductorProcess, name: string): Promise<number> {
  const { periodic_tasks } = await getJson<TaskListing>(conductor, '/v1/periodic-tasks');
  const task = periodic_tasks.find((candidate) => candidate.name === name);
  if (!task) throw new Error(`${conductor.id} has no periodic task ${name}`);
  return task.runs;
}
