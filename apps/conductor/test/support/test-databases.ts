import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import { createDatabase, type Database } from '../../src/db/create-database.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/db/embedded/embedded-server.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { POSTGRES_URL } from './postgres-url.js';

export { POSTGRES_URL, postgresReachable } from './postgres-url.js';

/** The database backends the store tests run against. */
export type Backend = 'pglite' | 'postgres';

/**
 * The tests' embedded database: one PGlite server (a worker thread) per vitest worker, started on first
 * use. Each test gets a fresh schema in it, dropped after the test or the file.
 */
let embedded: Promise<EmbeddedServer> | undefined;

/** The URL of the tests' embedded database server (started on first use). */
export async function embeddedTestUrl(): Promise<string> {
  embedded ??= startEmbeddedServer({ dataDir: 'memory://', maintenanceIntervalMs: 0 });
  return (await embedded).url;
}

/**
 * A conductor's `database` section for a test: a fresh schema on the tests' embedded server, dropped
 * after the test (or the file).
 */
export async function embeddedTestDatabase(): Promise<{ url: string; schema: string }> {
  const url = await embeddedTestUrl();
  return { url, schema: testSchema(url) };
}

/** The server URL of a backend: this file's embedded server, or the test PostgreSQL. */
export function backendUrl(backend: Backend): Promise<string> {
  return backend === 'pglite' ? embeddedTestUrl() : Promise.resolve(POSTGRES_URL);
}

/** Schemas made by this file and not dropped yet, by server URL. */
const liveSchemas = new Map<string, { url: string; schema: string }>();

/**
 * A fresh schema name on a server, dropped after the current test (when called inside one or its
 * `beforeEach`), else after the file's tests — also when they fail.
 */
export function testSchema(url: string, prefix = 'conductor_test'): string {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  registerTestSchema(url, schema);
  return schema;
}

/** Has a schema made by a test (under its own name) dropped like those of {@link testSchema}. */
export function registerTestSchema(url: string, schema: string): void {
  liveSchemas.set(`${url} ${schema}`, { url, schema });
  try {
    onTestFinished(() => dropSchema(url, schema));
  } catch {
    // Not inside a test (a beforeAll): the file's afterAll drops it.
  }
}

/** Drops a schema this file made (if it still exists). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!liveSchemas.delete(`${url} ${schema}`)) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Drops every schema the current test file made and did not drop yet (also when its tests failed).
 * Run after each file by `file-hooks.ts`: test files share a worker's modules, so a hook registered
 * here on import would run after the first file only. The embedded server itself lives as long as the
 * worker, and the next file's schemas go into it (a fresh schema costs milliseconds, a fresh PGlite a
 * second and hundreds of MB).
 */
export async function dropFileSchemas(): Promise<void> {
  for (const { url, schema } of [...liveSchemas.values()]) await dropSchema(url, schema);
}

/** A migrated database for one test file, and how to open more connections to it and throw it away. */
export interface TestDatabase {
  readonly database: Database;
  /** Its schema (a fresh one per test database, on the file's embedded server or the test PostgreSQL). */
  readonly schema: string;
  /** A second, separate pool onto the same schema: its queries race the first's on other connections. */
  openAnotherConnection(): Promise<Database>;
  dispose(): Promise<void>;
}

/** Opens and migrates a fresh schema: on this file's embedded server, or on the test PostgreSQL. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  const url = await backendUrl(backend);
  const schema = testSchema(url);
  const database = await createDatabase({ url, schema });
  await migrateToLatest(database.db);
  const extra: Database[] = [];
  return {
    database,
    schema,
    async openAnotherConnection() {
      const other = await createDatabase({ url, schema, poolSize: 1 });
      extra.push(other);
      return other;
    },
    async dispose() {
      for (const other of extra) await other.close();
      await database.close();
      await dropSchema(url, schema);
    },
  };
}
