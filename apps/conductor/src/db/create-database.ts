import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Logger } from 'pino';
import { DatabaseError } from '../errors.js';
import type { Tables } from './tables.js';

/** Where the database is: a PostgreSQL URL, or else an embedded PGlite directory (or memory). */
export interface DatabaseOptions {
  /** `postgres://...`: use that PostgreSQL server. */
  url?: string;
  /** PGlite's data directory; `memory://` (or nothing) keeps the data in memory. */
  dataDir?: string;
  /** PostgreSQL only: the schema to use (created when missing), e.g. one per test file. */
  schema?: string;
  /** PostgreSQL only: pool size. Default 10. */
  poolSize?: number;
  logger?: Logger;
}

/** An open database: the Kysely instance and how to close it. */
export interface Database {
  readonly db: Kysely<Tables>;
  readonly kind: 'pglite' | 'postgres';
  /** Where it is, without credentials (for logs). */
  readonly location: string;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Opens the database the options name, and checks that it answers. Migrations are separate. */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir ?? 'memory://');
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === 'memory://' || dataDir === '';
  try {
    if (!inMemory) await mkdir(dataDir, { recursive: true });
    const pglite = inMemory ? await PGlite.create() : await PGlite.create(dataDir);
    const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) });
    await sql`select 1`.execute(db);
    return { db, kind: 'pglite', location: inMemory ? 'memory://' : dataDir, close: () => db.destroy() };
  } catch (error) {
    throw new DatabaseError(`Cannot open the PGlite database in ${dataDir}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const location = redact(url);
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new DatabaseError(`Invalid PostgreSQL schema name ${JSON.stringify(options.schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL connection failed'));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (options.schema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new DatabaseError(`Cannot connect to PostgreSQL at ${location}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return { db, kind: 'postgres', location, close: () => db.destroy() };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}
