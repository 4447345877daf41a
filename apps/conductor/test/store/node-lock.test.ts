import { TaskManager } from '@ironic/driver-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/create-database.js';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import {
  type Backend,
  openTestDatabase,
  postgresReachable,
  type TestDatabase,
} from '../support/test-databases.js';

const postgresUp = await postgresReachable();

describe.each([
  { backend: 'pglite' as Backend, skip: false },
  { backend: 'postgres' as Backend, skip: !postgresUp },
])('exclusive node locks on $backend', ({ backend, skip }) => {
  let testDb: TestDatabase;
  let second: Database;

  beforeAll(async () => {
    if (skip) return;
    testDb = await openTestDatabase(backend);
    // On PostgreSQL a separate pool: the two attempts race on two server connections.
    second = await testDb.openAnotherConnection();
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it.skipIf(skip)('two concurrent exclusive acquisitions of one node give exactly one winner', async () => {
    const managerA = new TaskManager({
      repository: new KyselyNodeRepository(testDb.database.db),
      conductorId: 'conductor-a',
    });
    const managerB = new TaskManager({
      repository: new KyselyNodeRepository(second.db),
      conductorId: 'conductor-b',
    });
    for (let round = 0; round < 25; round++) {
      const node = await managerA.repository.create({ driver: 'fake', name: `race-${round}` });
      const outcomes = await Promise.allSettled([
        managerA.acquire(node.uuid, { purpose: 'race' }),
        managerB.acquire(node.uuid, { purpose: 'race' }),
      ]);
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o) => o.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winner = (winners[0] as PromiseFulfilledResult<Awaited<ReturnType<TaskManager['acquire']>>>)
        .value;
      const loser = (losers[0] as PromiseRejectedResult).reason;
      expect(loser).toMatchObject({ name: 'NodeLocked', holder: winner.node.reservation });
      expect((await managerA.get(node.uuid)).reservation).toBe(winner.node.reservation);
      await winner.release();
      expect((await managerB.get(node.uuid)).reservation).toBeNull();
    }
  });
});
