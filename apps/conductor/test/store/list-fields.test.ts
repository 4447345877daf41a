import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyNodeRepository } from '../../src/store/kysely-node-repository.js';
import { QueryCounter } from '../support/query-counter.js';
import { openTestDatabase, type TestDatabase } from '../support/test-databases.js';

describe('listing some fields of nodes', () => {
  let testDb: TestDatabase;
  let repository: KyselyNodeRepository;
  const counter = new QueryCounter();

  beforeAll(async () => {
    testDb = await openTestDatabase('pglite');
    repository = new KyselyNodeRepository(testDb.database.db.withPlugin(counter));
    for (let n = 0; n < 5; n++) {
      await repository.create({
        driver: n % 2 ? 'fake-hardware' : 'other',
        name: `n${n}`,
        provision_state: 'manageable',
        driver_info: { address: `10.0.0.${n}`, password: 'secret' },
        extra: { n },
      });
    }
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('gives the same values as whole nodes for the fields asked, with the UUID and driver', async () => {
    const fields = [
      'name',
      'provision_state',
      'maintenance',
      'driver_info',
      'extra',
      'created_at',
      'conductor',
    ];
    const query = { driver: ['fake-hardware', 'other'], limit: 4, sortKey: 'name' as const };
    const whole = await repository.list(query);
    const partial = await repository.listFields(query, fields);
    expect(partial).toEqual(
      whole.map((node) => ({
        uuid: node.uuid,
        driver: node.driver,
        name: node.name,
        provision_state: node.provision_state,
        maintenance: node.maintenance,
        driver_info: node.driver_info,
        extra: node.extra,
        created_at: node.created_at,
      })),
    );
  });

  it('reads only the columns asked for', async () => {
    counter.reset();
    const [node] = await repository.listFields({ limit: 1 }, ['name', 'power_state']);
    expect(Object.keys(node ?? {}).sort()).toEqual(['driver', 'name', 'power_state', 'uuid']);
    expect(counter.count).toBe(1);
  });
});
