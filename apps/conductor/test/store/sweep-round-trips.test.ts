import {
  collectNodePeriodicTasks,
  createNodeSweepTask,
  type NodePeriodicContext,
  type NodePeriodicOptions,
  nodePeriodic,
  type Task,
  TaskManager,
} from '@ironic/driver-base';
import { ManualClock, PeriodicWorker } from '@ironic/periodic-core';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import { QueryCounter } from '../support/query-counter.js';
import {
  type Backend,
  openTestDatabase,
  postgresReachable,
  type TestDatabase,
} from '../support/test-databases.js';

const postgresUp = await postgresReachable();
const logger = pino({ level: 'silent' });
const PAGE_SIZE = 20;
const NODES = 50; // three pages: 20, 20, 10
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each([
  { backend: 'pglite' as Backend, skip: false },
  { backend: 'postgres' as Backend, skip: !postgresUp },
])('node sweeps against the $backend store: round trips and freshness', ({ backend, skip }) => {
  let testDb: TestDatabase;
  const counter = new QueryCounter();
  let nodes: TaskManager;
  /** Another conductor on its own connection, changing nodes while a sweep runs. */
  let other: TaskManager;

  beforeAll(async () => {
    if (skip) return;
    testDb = await openTestDatabase(backend);
    nodes = new TaskManager({
      repository: new KyselyNodeRepository(testDb.database.db.withPlugin(counter)),
      conductorId: 'sweeper',
    });
    other = new TaskManager({
      repository: new KyselyNodeRepository((await testDb.openAnotherConnection()).db),
      conductorId: 'other',
    });
    for (let n = 1; n <= NODES; n++) {
      await other.repository.create({ uuid: uuid(n), driver: 'fake', extra: { version: 0 } });
    }
  });
  beforeEach(() => counter.reset());
  afterAll(async () => {
    await testDb?.dispose();
  });

  function sweepOf(options: NodePeriodicOptions, handler: (task: Task) => unknown) {
    class Iface {
      @nodePeriodic(options)
      async handle(task: Task, _context: NodePeriodicContext) {
        return handler(task);
      }
    }
    const [definition] = collectNodePeriodicTasks(new Iface());
    if (!definition) throw new Error('no definition');
    return createNodeSweepTask(definition, { nodes, drivers: ['fake'], logger, pageSize: PAGE_SIZE });
  }

  async function runOnce(sweep: ReturnType<typeof sweepOf>) {
    const worker = new PeriodicWorker({ clock: new ManualClock(0), logger });
    worker.add(sweep);
    worker.start();
    const outcome = await worker.runNow(sweep.name);
    await worker.stop();
    expect(outcome.status).toBe('succeeded');
  }

  /** Changes node `n` as another conductor would: reserve, save, release. */
  async function changeElsewhere(n: number, version: number) {
    await other.withTask(uuid(n), { purpose: 'test change' }, (task) => task.save({ extra: { version } }));
  }

  it.skipIf(skip)('a shared-lock sweep costs one query per page and none per node', async () => {
    const seen: string[] = [];
    const sweep = sweepOf({ spacing: '1m', concurrency: 4 }, (task) => {
      seen.push(task.node.uuid);
    });
    await runOnce(sweep);
    expect(seen).toHaveLength(NODES);
    expect(counter.kinds).toEqual(['SelectQueryNode', 'SelectQueryNode', 'SelectQueryNode']);
  });

  it.skipIf(skip)('an exclusive-lock sweep adds only the reservation and its release per node', async () => {
    const sweep = sweepOf({ spacing: '1m', shared: false, concurrency: 4 }, () => undefined);
    await runOnce(sweep);
    expect(sweep.sweep).toMatchObject({ visited: NODES, handled: NODES, errors: 0 });
    expect(counter.countOf('SelectQueryNode')).toBe(3);
    // The reservation (an UPDATE … RETURNING that reads the node as it is now) and the release.
    expect(counter.countOf('UpdateQueryNode')).toBe(2 * NODES);
    expect(counter.count).toBe(3 + 2 * NODES);
  });

  it.skipIf(skip)('a shared visit re-reads a node only when it upgrades its lock', async () => {
    const sweep = sweepOf({ spacing: '1m', concurrency: 2 }, async (task) => {
      if (task.node.uuid === uuid(7) || task.node.uuid === uuid(33)) await task.upgradeLock();
    });
    await runOnce(sweep);
    expect(counter.countOf('SelectQueryNode')).toBe(3);
    expect(counter.countOf('UpdateQueryNode')).toBe(4);
    expect(counter.count).toBe(7);
  });

  it.skipIf(skip)('an exclusive-lock handler sees a node as changed after its page was read', async () => {
    const versions = new Map<string, unknown>();
    const sweep = sweepOf({ spacing: '1m', shared: false, concurrency: 1 }, async (task) => {
      versions.set(task.node.uuid, task.node.extra.version);
      // Node 2 is in the page already read; node 3 changes the same way.
      if (task.node.uuid === uuid(1)) {
        await changeElsewhere(2, 1);
        await changeElsewhere(3, 1);
      }
    });
    await runOnce(sweep);
    expect(versions.get(uuid(1))).toBe(0);
    expect(versions.get(uuid(2))).toBe(1);
    expect(versions.get(uuid(3))).toBe(1);
  });

  it.skipIf(skip)(
    'a shared visit sees the page’s node, and the node as it is now once it upgrades',
    async () => {
      const before = new Map<string, unknown>();
      const after = new Map<string, unknown>();
      const sweep = sweepOf({ spacing: '1m', concurrency: 1 }, async (task) => {
        if (task.node.uuid === uuid(11)) await changeElsewhere(12, 7);
        if (task.node.uuid !== uuid(12)) return;
        before.set(task.node.uuid, task.node.extra.version);
        await task.upgradeLock();
        after.set(task.node.uuid, task.node.extra.version);
      });
      await runOnce(sweep);
      // As Ironic's shared locks: what was read with the page, re-checked once the lock is exclusive.
      expect(before.get(uuid(12))).not.toBe(7);
      expect(after.get(uuid(12))).toBe(7);
    },
  );
});
