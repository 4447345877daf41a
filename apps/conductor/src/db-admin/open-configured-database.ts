import type { Logger } from 'pino';
import { acquireDataDirLock, type DataDirLock } from '../cluster/data-dir-lock.js';
import type { ConductorConfig } from '../config/schema.js';
import { createDatabase, type Database } from '../db/create-database.js';

/** The configured database, open, with the embedded data directory's lock held. */
export interface ConfiguredDatabase {
  readonly database: Database;
  /** Closes the database, then releases the data directory. */
  close(): Promise<void>;
}

/** The embedded database serves one process: a second process on the same directory must refuse. */
async function lockEmbeddedDataDir(config: ConductorConfig): Promise<DataDirLock | undefined> {
  const dir = config.database.data_dir;
  if (config.database.url || dir === 'memory://' || dir === '') return undefined;
  return acquireDataDirLock(dir);
}

/**
 * Opens the database `config.database` names: PostgreSQL at `url`, else PGlite in `data_dir`, whose
 * `conductor.lock` it takes first (so `db upgrade` cannot run under a live conductor). Rejects with
 * `DataDirLocked` or `DatabaseError`, leaving nothing held.
 */
export async function openConfiguredDatabase(
  config: ConductorConfig,
  logger?: Logger,
): Promise<ConfiguredDatabase> {
  const lock = await lockEmbeddedDataDir(config);
  let database: Database;
  try {
    database = await createDatabase({
      ...(config.database.url ? { url: config.database.url } : { dataDir: config.database.data_dir }),
      ...(config.database.schema ? { schema: config.database.schema } : {}),
      ...(logger ? { logger } : {}),
    });
  } catch (error) {
    await lock?.release().catch(() => undefined);
    throw error;
  }
  return {
    database,
    async close() {
      try {
        await database.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
