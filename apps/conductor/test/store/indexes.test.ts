import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, postgresReachable, type TestDatabase } from '../support/test-databases.js';

const postgresUp = await postgresReachable();

/** The plan PostgreSQL picks for a query, as text. */
async function planOf(testDb: TestDatabase, query: ReturnType<typeof sql>): Promise<string> {
  const result = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(testDb.database.db);
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe.skipIf(!postgresUp)('indexes on 100,000 nodes (PostgreSQL)', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase('postgres');
    // 100,000 nodes: most resting, a few hundred in the states periodic sweeps look for.
    await sql`
      insert into nodes (uuid, name, driver, provision_state, maintenance, reservation, created_at)
      select gen_random_uuid()::text, 'node-' || i,
             case when i % 3 = 0 then 'idrac-redfish' else 'ipmi' end,
             case when i % 500 = 0 then 'inspect wait' when i % 2 = 0 then 'active' else 'available' end,
             i % 1000 = 0,
             case when i % 5000 = 0 then 'some-conductor' end,
             now()
      from generate_series(1, 100000) as i`.execute(testDb.database.db);
    await sql`analyze nodes`.execute(testDb.database.db);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('finds a sweep\u2019s nodes (driver and state) without scanning the table', async () => {
    const plan = await planOf(
      testDb,
      sql`select * from nodes where driver in ('idrac-redfish') and provision_state in ('inspect wait') order by uuid limit 500`,
    );
    expect(plan).toContain('nodes_driver_provision_state_idx');
    expect(plan).not.toContain('Seq Scan');
  });

  it('finds nodes by state, maintenance, reservation and name through their indexes', async () => {
    expect(
      await planOf(testDb, sql`select uuid from nodes where provision_state = 'inspect wait'`),
    ).not.toContain('Seq Scan');
    expect(
      await planOf(
        testDb,
        sql`select uuid from nodes where maintenance = true and provision_state = 'inspect wait'`,
      ),
    ).not.toContain('Seq Scan');
    expect(
      await planOf(testDb, sql`update nodes set reservation = null where reservation = 'some-conductor'`),
    ).toContain('nodes_reservation_idx');
    expect(
      await planOf(testDb, sql`select * from nodes where uuid = 'node-77' or name = 'node-77'`),
    ).not.toContain('Seq Scan');
  });
});
