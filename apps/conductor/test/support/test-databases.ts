import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/db/create-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** The PostgreSQL the tests use: `DATABASE_URL`, or the local default CI also uses. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the test PostgreSQL answers. In CI an unreachable server fails the run instead of skipping
 * the PostgreSQL half of the tests.
 */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(`PostgreSQL at ${POSTGRES_URL} is unreachable in CI: ${(error as Error).message}`);
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The database backends the store tests run against. */
export type Backend = 'pglite' | 'postgres';

/** A migrated database for one test file, and how to open more connections to it and throw it away. */
export interface TestDatabase {
  readonly database: Database;
  /** The PostgreSQL schema (a fresh one per test database), or undefined on PGlite. */
  readonly schema: string | undefined;
  /** PostgreSQL: a second, separate pool onto the same schema. PGlite: the same database again. */
  openAnotherConnection(): Promise<Database>;
  dispose(): Promise<void>;
}

/** Opens and migrates a fresh database: in-memory PGlite, or a new schema in the test PostgreSQL. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const database = await createDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    return {
      database,
      schema: undefined,
      openAnotherConnection: async () => database,
      dispose: () => database.close(),
    };
  }
  const schema = `conductor_test_${randomBytes(6).toString('hex')}`;
  const database = await createDatabase({ url: POSTGRES_URL, schema });
  await migrateToLatest(database.db);
  const extra: Database[] = [];
  return {
    database,
    schema,
    async openAnotherConnection() {
      const other = await createDatabase({ url: POSTGRES_URL, schema, poolSize: 1 });
      extra.push(other);
      return other;
    },
    async dispose() {
      for (const other of extra) await other.close();
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    },
  };
}
