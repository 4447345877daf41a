import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { DatabaseError } from '../errors.js';
import { retryConnect } from './connect-retry.js';
import { markingPool } from './database-origin.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import {
  type EmbeddedServer,
  type EmbeddedServerOptions,
  MEMORY_DATA_DIR,
  startEmbeddedServer,
} from './embedded/embedded-server.js';
import type { Tables } from './tables.js';

/** Where the database is: a PostgreSQL URL, or else the embedded PGlite's directory (or memory). */
export interface DatabaseOptions {
  /** `postgres://...`: use that PostgreSQL server. */
  url?: string;
  /** The embedded database's data directory; `memory://` (or nothing) keeps nothing after `close()`. */
  dataDir?: string;
  /** The schema to use (created when missing), e.g. one per test. */
  schema?: string;
  /** Connections in the pool. Default 10 on PostgreSQL, 4 on the embedded database (one session anyway). */
  poolSize?: number;
  /**
   * PostgreSQL only: milliseconds to keep retrying (with backoff, each wait logged) a server that
   * refuses or does not answer, before giving up. Default 0: one attempt.
   */
  connectTimeoutMs?: number;
  /** The embedded engine's tuning (see `startEmbeddedServer`). */
  embedded?: EmbeddedTuning;
  logger?: Logger;
}

/** What may be tuned of the embedded engine through `createDatabase`. */
export type EmbeddedTuning = Pick<
  EmbeddedServerOptions,
  'optimize' | 'idleInTransactionTimeoutMs' | 'maintenanceIntervalMs' | 'statisticsCheckIntervalMs'
>;

/** An open database: the Kysely instance and how to close it. */
export interface Database {
  readonly db: Kysely<Tables>;
  /** `pglite`: the embedded engine, which this process runs; `postgres`: a server of its own. */
  readonly kind: 'pglite' | 'postgres';
  /** Where it is, without credentials (for logs). */
  readonly location: string;
  close(): Promise<void>;
}

/** Milliseconds a new PostgreSQL connection may take before it fails (and a request gets its 503). */
const CONNECTION_TIMEOUT_MS = 10_000;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Opens the database the options name, and checks that it answers. Migrations are separate.
 *
 * Both kinds are reached the same way — node-postgres and Kysely's PostgreSQL dialect, the same SQL —
 * since the embedded PGlite runs on a worker thread behind a PostgreSQL-protocol socket (see
 * `startEmbeddedServer`); closing the database stops it.
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new DatabaseError(`Invalid PostgreSQL schema name ${JSON.stringify(options.schema)}`);
  }
  if (options.url) {
    const location = redact(options.url);
    const timeoutMs = options.connectTimeoutMs ?? 0;
    return retryConnect(
      () =>
        // A server that accepts and never answers counts as down after a while, not never.
        connect({ connectionString: options.url, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS }, options, {
          kind: 'postgres',
          location,
          describeFailure: (error) => `Cannot connect to PostgreSQL at ${location}: ${messageOf(error)}`,
        }),
      {
        timeoutMs,
        isTransient: (error) => isDatabaseUnavailable(error),
        onRetry: ({ attempt, error, delayMs, remainingMs }) =>
          options.logger?.warn(
            {
              database: location,
              attempt,
              err: messageOf(error),
              retryInMs: delayMs,
              giveUpInMs: remainingMs,
            },
            'waiting for the database',
          ),
      },
    );
  }
  return openEmbedded(options.dataDir || MEMORY_DATA_DIR, options);
}

async function openEmbedded(dataDir: string, options: DatabaseOptions): Promise<Database> {
  const describeFailure = (error: unknown) =>
    `Cannot open the embedded database (PGlite) in ${dataDir}: ${messageOf(error)}`;
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedServer({
      ...options.embedded,
      dataDir,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } catch (error) {
    throw new DatabaseError(describeFailure(error), { cause: error });
  }
  options.logger?.info(
    {
      dataDir,
      socket: server.connection.host,
      preparation: server.preparation,
      startMs: server.startMs,
      postgres: server.serverVersion,
    },
    'embedded database started',
  );
  return connect(
    { ...server.connection },
    { poolSize: 4, ...options },
    {
      kind: 'pglite',
      location: server.dataDir,
      describeFailure,
      stopServer: () => server.stop(),
    },
  );
}

interface Target {
  kind: Database['kind'];
  location: string;
  describeFailure(error: unknown): string;
  /** Stops what serves the database (the embedded engine), after the pool is closed. */
  stopServer?: () => Promise<void>;
}

async function connect(config: pg.PoolConfig, options: DatabaseOptions, target: Target): Promise<Database> {
  const pool = new pg.Pool({
    ...config,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle database connection failed'));
  // Nor one lost while checked out between two queries (the pool listens only while a client is idle):
  // without a listener its 'error' event would end the process; the query in hand reports the failure.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.logger?.debug({ err: error }, 'database connection lost'));
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: markingPool(pool) }) });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= db.destroy().finally(() => target.stopServer?.());
    return closing;
  };
  try {
    if (options.schema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    await sql`select 1`.execute(db);
  } catch (error) {
    await close().catch(() => undefined);
    throw new DatabaseError(target.describeFailure(error), { cause: error });
  }
  return { db, kind: target.kind, location: target.location, close };
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
