import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../../src/config/load-config.js';
import { openConfiguredDatabase } from '../../src/db-admin/open-configured-database.js';
import { POSTGRES_URL, postgresReachable, testSchema } from '../support/test-databases.js';

const postgresUp = await postgresReachable();

describe.skipIf(!postgresUp)('database.max_pool_size on PostgreSQL', () => {
  it('bounds the connections a conductor holds, however many queries it has in flight', async () => {
    const config = defineConfig({
      database: { url: POSTGRES_URL, schema: testSchema(POSTGRES_URL), max_pool_size: 2 },
    });
    const { database, close } = await openConfiguredDatabase(config);
    try {
      // Each query holds its connection a little, so twelve at once would need twelve without the bound.
      const pids = await Promise.all(
        Array.from({ length: 12 }, () =>
          sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.02)`
            .execute(database.db)
            .then(({ rows }) => rows[0]?.pid),
        ),
      );
      expect(new Set(pids).size).toBeLessThanOrEqual(2);
      expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
    } finally {
      await close();
    }
  });

  it('is 10 by default, and refuses what is not a positive integer, naming the field', () => {
    expect(defineConfig({}).database.max_pool_size).toBe(10);
    expect(() => defineConfig({ database: { max_pool_size: 0 } })).toThrow(/database\.max_pool_size/);
  });
});
