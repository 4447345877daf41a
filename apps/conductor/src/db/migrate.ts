import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { MigrationFailed } from '../errors.js';
import { initialMigration } from './migrations/0001-initial.js';
import { conductorDrainingMigration } from './migrations/0002-conductor-draining.js';
import { nodeIronicFieldsMigration } from './migrations/0003-node-ironic-fields.js';
import { portsMigration } from './migrations/0004-ports.js';
import { nodeRingPointMigration } from './migrations/0005-node-ring-point.js';
import { conductorRingMigration } from './migrations/0006-conductor-ring.js';
import type { Tables } from './tables.js';

/** Every migration, by name; names sort in the order they apply. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initialMigration,
  '0002-conductor-draining': conductorDrainingMigration,
  '0003-node-ironic-fields': nodeIronicFieldsMigration,
  '0004-ports': portsMigration,
  '0005-node-ring-point': nodeRingPointMigration,
  '0006-conductor-ring': conductorRingMigration,
};

const provider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/**
 * Brings the schema up to date (the same migrations on PGlite and PostgreSQL). Kysely takes a lock
 * table, so two conductors starting together apply each migration once. Returns the names applied now.
 */
export async function migrateToLatest(db: Kysely<Tables>): Promise<string[]> {
  // Kysely looks for its own tables in every schema unless told which: with one schema per deployment
  // (or per test) on a server, another schema's migration tables would be taken for this one's.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrationTableSchema = rows[0]?.schema ?? 'public';
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  let outcome = await migrator.migrateToLatest();
  // Kysely's introspection reads every schema's tables: another schema on the server dropped meanwhile
  // fails it with `3F000` naming that schema. Nothing of this one was touched, so it is safe to retry.
  for (let retries = 5; retries > 0 && otherSchemaDropped(outcome.error, migrationTableSchema); retries--) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results = [] } = outcome;
  if (error) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'setup';
    throw new MigrationFailed(failed, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

function otherSchemaDropped(error: unknown, ours: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && !message.includes(`"${ours}"`);
}
