import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/create-database.js';
import { MIGRATIONS, migrateToLatest } from '../db/migrate.js';
import type { Tables } from '../db/tables.js';
import { SchemaNewerThanCode, SchemaNotUpgraded } from '../errors.js';

/** Kysely's own bookkeeping table, in the database's current schema. */
const MIGRATION_TABLE = 'kysely_migration';

/** Where a database's schema stands against this conductor's migrations. */
export interface SchemaVersion {
  /** Migrations applied to the database, in order. */
  readonly applied: readonly string[];
  /** The newest applied migration; undefined for an empty database. */
  readonly current: string | undefined;
  /** The newest migration this conductor has. */
  readonly latest: string;
  /** This conductor's migrations not applied yet. */
  readonly pending: readonly string[];
  /** Applied migrations this conductor does not have (a newer conductor's). */
  readonly unknown: readonly string[];
}

/** This conductor's migrations, in the order they apply. */
export function knownMigrations(): string[] {
  return Object.keys(MIGRATIONS).sort();
}

/** Reads which migrations the database has had, without changing anything. */
export async function readSchemaVersion(db: Kysely<Tables>): Promise<SchemaVersion> {
  const known = knownMigrations();
  const { rows: exists } = await sql<{ table: string | null }>`
    select to_regclass(quote_ident(current_schema()) || '.' || ${MIGRATION_TABLE}) as table
  `.execute(db);
  const applied = exists[0]?.table
    ? (
        await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db)
      ).rows.map((row) => row.name)
    : [];
  const appliedSet = new Set(applied);
  const knownSet = new Set(known);
  return {
    applied,
    current: applied.at(-1),
    latest: known.at(-1) ?? '(none)',
    pending: known.filter((name) => !appliedSet.has(name)),
    unknown: applied.filter((name) => !knownSet.has(name)),
  };
}

/** Options of {@link upgradeSchema}. */
export interface UpgradeSchemaOptions {
  /** Apply pending migrations (default); false: refuse with `SchemaNotUpgraded` when any is pending. */
  readonly migrate?: boolean;
}

/**
 * Brings the schema up to date before a conductor uses it: refuses a schema newer than this conductor
 * (`SchemaNewerThanCode`) before touching anything, then applies the pending migrations (or, with
 * `migrate: false`, refuses with `SchemaNotUpgraded`). Returns the migrations applied now.
 */
export async function upgradeSchema(
  database: Pick<Database, 'db' | 'location'>,
  options: UpgradeSchemaOptions = {},
): Promise<string[]> {
  const version = await readSchemaVersion(database.db);
  if (version.unknown.length > 0) {
    throw new SchemaNewerThanCode(database.location, version.unknown, version.latest);
  }
  if (version.pending.length === 0) return [];
  if (options.migrate === false) throw new SchemaNotUpgraded(database.location, version.pending);
  return migrateToLatest(database.db);
}
