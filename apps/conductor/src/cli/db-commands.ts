import type { ConductorConfig } from '../config/schema.js';
import { openConfiguredDatabase } from '../db-admin/open-configured-database.js';
import { readSchemaVersion, type SchemaVersion, upgradeSchema } from '../db-admin/schema-version.js';

/** Where a command writes its report. */
export interface CommandOutput {
  write(text: string): unknown;
}

function status(version: SchemaVersion): string {
  if (version.unknown.length > 0)
    return `newer than this conductor (unknown migrations: ${version.unknown.join(', ')})`;
  if (version.pending.length > 0)
    return `${version.pending.length} migration(s) pending: ${version.pending.join(', ')} (run: ironic-conductor db upgrade)`;
  return 'up to date';
}

function report(location: string, kind: string, version: SchemaVersion): string {
  return [
    `database: ${kind} ${location}`,
    `schema:   ${version.current ?? '(empty)'}`,
    `latest:   ${version.latest} (this conductor)`,
    `status:   ${status(version)}`,
    '',
  ].join('\n');
}

/**
 * `ironic-conductor db version`: which migrations the configured database has had, against this
 * conductor's. Changes nothing (an empty embedded database is created empty).
 */
export async function dbVersion(config: ConductorConfig, out: CommandOutput): Promise<number> {
  const opened = await openConfiguredDatabase(config);
  try {
    const { database } = opened;
    out.write(report(database.location, database.kind, await readSchemaVersion(database.db)));
    return 0;
  } finally {
    await opened.close();
  }
}

/**
 * `ironic-conductor db upgrade`: applies the pending migrations and exits. Refuses a schema newer than
 * this conductor (`SchemaNewerThanCode`) and a PGlite directory a running conductor holds (`DataDirLocked`).
 */
export async function dbUpgrade(config: ConductorConfig, out: CommandOutput): Promise<number> {
  const opened = await openConfiguredDatabase(config);
  try {
    const { database } = opened;
    const applied = await upgradeSchema(database, { migrate: true });
    out.write(
      applied.length > 0 ? `applied:  ${applied.join(', ')}\n` : 'applied:  nothing (already up to date)\n',
    );
    out.write(report(database.location, database.kind, await readSchemaVersion(database.db)));
    return 0;
  } finally {
    await opened.close();
  }
}
