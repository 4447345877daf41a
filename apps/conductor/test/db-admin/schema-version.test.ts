import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConductor } from '../../src/conductor.js';
import { defineConfig } from '../../src/config/load-config.js';

/** A conductor needs a driver to start at all. */
const FAKE_DRIVER = { enabled: ['@ironic/driver-fake'] };

import { createDatabase, type Database } from '../../src/db/create-database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { knownMigrations, readSchemaVersion, upgradeSchema } from '../../src/db-admin/schema-version.js';
import { SchemaNewerThanCode, SchemaNotUpgraded } from '../../src/errors.js';

// One database through its life: empty, refused without migrating, upgraded, then migrated by a newer
// conductor (each PGlite takes seconds to create on a busy machine).
describe('the schema version of one database, from empty to newer than this code', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createDatabase({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('reads an empty database as having every migration pending', async () => {
    const version = await readSchemaVersion(database.db);
    expect(version).toEqual({
      applied: [],
      current: undefined,
      latest: knownMigrations().at(-1),
      pending: knownMigrations(),
      unknown: [],
    });
  });

  it('with migrate: false, refuses pending migrations and names them, changing nothing', async () => {
    const attempt = upgradeSchema(database, { migrate: false });
    await expect(attempt).rejects.toBeInstanceOf(SchemaNotUpgraded);
    await expect(attempt).rejects.toThrow(new RegExp(`${knownMigrations()[0]}.*ironic-conductor db upgrade`));
    expect((await readSchemaVersion(database.db)).applied).toEqual([]);
  });

  it('applies the pending migrations once, then has none pending', async () => {
    expect(await upgradeSchema(database)).toEqual(knownMigrations());
    expect(await upgradeSchema(database, { migrate: false })).toEqual([]);
    const version = await readSchemaVersion(database.db);
    expect(version.current).toBe(knownMigrations().at(-1));
    expect(version.pending).toEqual([]);
  });

  it('refuses a schema a newer conductor migrated, before touching it', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', now()::text)`.execute(
      database.db,
    );
    const attempt = upgradeSchema(database);
    await expect(attempt).rejects.toBeInstanceOf(SchemaNewerThanCode);
    const error = (await attempt.catch((e: unknown) => e)) as SchemaNewerThanCode;
    expect(error.unknownMigrations).toEqual(['9999-from-the-future']);
    expect(error.message).toContain('memory://');
    expect(error.message).toContain(knownMigrations().at(-1));
    expect(error.message).toMatch(/newer ironic-conductor/);
  });
});

describe('a conductor start', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-schema-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a database whose schema is newer than its code, with the reason', async () => {
    const database = await createDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', now()::text)`.execute(
      database.db,
    );
    await database.close();
    const start = createConductor(defineConfig({ database: { data_dir: dir }, drivers: FAKE_DRIVER }), {
      logger: pino({ level: 'silent' }),
    });
    await expect(start).rejects.toBeInstanceOf(SchemaNewerThanCode);
    // It let go of everything: the directory can be opened again at once.
    const again = await createDatabase({ dataDir: dir });
    expect((await readSchemaVersion(again.db)).unknown).toEqual(['9999-from-the-future']);
    await again.close();
  });

  it('with database.migrate_on_start false, refuses an old schema until db upgrade ran', async () => {
    const config = defineConfig({
      database: { data_dir: dir, migrate_on_start: false },
      drivers: FAKE_DRIVER,
    });
    const logger = pino({ level: 'silent' });
    await expect(createConductor(config, { logger })).rejects.toBeInstanceOf(SchemaNotUpgraded);
    const database = await createDatabase({ dataDir: dir });
    await upgradeSchema(database);
    await database.close();
    const conductor = await createConductor(config, { logger });
    await conductor.stop({ timeout: 1000 });
  });
});
