import { NodeLocked, type Task, TaskManager } from '@ironic/driver-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import { openTestDatabase, postgresReachable, type TestDatabase } from '../support/test-databases.js';

const postgresUp = await postgresReachable();
const ROUNDS = 1000;

interface Holding {
  readonly holder: string;
  readonly from: bigint;
  readonly to: bigint;
}

describe.skipIf(!postgresUp)('two conductors racing for one node’s lock', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it(`never gives the lock to both: ${ROUNDS} rounds, one winner each, holding windows never overlap`, async () => {
    // Two pools: each conductor's attempt goes over its own server connection, as from two hosts.
    const other = await testDb.openAnotherConnection();
    const managers = [
      new TaskManager({
        repository: new KyselyNodeRepository(testDb.database.db),
        conductorId: 'conductor-a',
      }),
      new TaskManager({ repository: new KyselyNodeRepository(other.db), conductorId: 'conductor-b' }),
    ] as const;
    const node = await managers[0].repository.create({ driver: 'fake-hardware', name: 'contended' });
    const holdings: Holding[] = [];
    let lockedOut = 0;

    for (let round = 0; round < ROUNDS; round++) {
      // Each side goes first in every other round, so neither wins by always starting first.
      const order = round % 2 === 0 ? managers : ([managers[1], managers[0]] as const);
      const attempts = order.map((manager) => manager.acquire(node.uuid, { purpose: 'race' }));
      const settled = Promise.allSettled(attempts);
      const hold = async (attempt: Promise<Task>): Promise<void> => {
        let task: Task;
        try {
          task = await attempt;
        } catch (error) {
          if (!(error instanceof NodeLocked)) throw error;
          lockedOut += 1;
          return;
        }
        const from = process.hrtime.bigint();
        // The winner keeps the lock until both attempts are decided, so a second winner would overlap it.
        await settled;
        const current = await managers[0].get(node.uuid);
        expect(current.reservation).toBe(task.node.reservation);
        const to = process.hrtime.bigint();
        holdings.push({ holder: task.node.reservation as string, from, to });
        await task.release();
      };
      await Promise.all(attempts.map(hold));
    }

    expect(holdings).toHaveLength(ROUNDS);
    expect(lockedOut).toBe(ROUNDS);
    const sorted = [...holdings].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as Holding).from).toBeGreaterThan((sorted[i - 1] as Holding).to);
    }
    // Both sides won some rounds: the race was real, not one side always first.
    const winners = new Set(holdings.map((holding) => holding.holder));
    expect(winners).toEqual(new Set(['conductor-a', 'conductor-b']));
    expect((await managers[0].get(node.uuid)).reservation).toBeNull();
  });
});
