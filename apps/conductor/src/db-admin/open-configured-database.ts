import type { Logger } from 'pino';
import { acquireDataDirLock, type DataDirLock, DataDirLocked } from '../cluster/data-dir-lock.js';
import type { ConductorConfig } from '../config/schema.js';
import { settingName } from '../config/setting-name.js';
import { createDatabase, type Database } from '../db/create-database.js';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { DatabaseError, StartupFailed } from '../errors.js';

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
  try {
    return await acquireDataDirLock(dir);
  } catch (error) {
    if (error instanceof DataDirLocked) throw error;
    throw dataDirFailure(dir, error);
  }
}

function dataDirFailure(dir: string, error: unknown): StartupFailed {
  const reason = error instanceof Error ? error.message : String(error);
  return new StartupFailed(
    'database.data_dir',
    `Cannot use ${dir} as the embedded database's data directory (${settingName('database.data_dir')}): ${reason}`,
    { cause: error },
  );
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
      ...(config.database.url
        ? { url: config.database.url, poolSize: config.database.max_pool_size }
        : { dataDir: config.database.data_dir }),
      ...(config.database.schema ? { schema: config.database.schema } : {}),
      ...(logger ? { logger } : {}),
      connectTimeoutMs: config.database.connect_timeout * 1000,
    });
  } catch (error) {
    await lock?.release().catch(() => undefined);
    throw databaseFailure(config, error);
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

/** A database that cannot be opened, as a start-up failure naming the setting behind it. */
function databaseFailure(config: ConductorConfig, error: unknown): unknown {
  if (!(error instanceof DatabaseError)) return error;
  if (!config.database.url) return dataDirFailure(config.database.data_dir, error.cause ?? error);
  const gaveUp = isDatabaseUnavailable(error)
    ? `; gave up after ${settingName('database.connect_timeout')} = ${config.database.connect_timeout} s`
    : '';
  return new StartupFailed('database.url', `${error.message} (${settingName('database.url')}${gaveUp})`, {
    cause: error,
  });
}
