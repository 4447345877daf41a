import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import { startEmbeddedServer } from '../../src/db/embedded/embedded-server.js';
import { makeRunDir, removeStaleRunDirs } from '../../src/db/embedded/run-dirs.js';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.js';
import { DatabaseError } from '../../src/errors.js';

describe('the embedded database (PGlite on a worker thread, reached with node-postgres)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedded-database-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a data directory from the template, keeps what was written, and reopens it', async () => {
    const dataDir = join(dir, 'kept');
    const first = await createDatabase({ dataDir });
    expect(first).toMatchObject({ kind: 'pglite', location: dataDir });
    await migrateToLatest(first.db);
    await sql`insert into conductors (id, hostname, started_at, last_heartbeat_at, drivers)
      values ('c1', 'h1', now(), now(), '[]')`.execute(first.db);
    await first.close();
    await first.close();

    const again = await createDatabase({ dataDir });
    try {
      expect(await migrateToLatest(again.db)).toEqual([]);
      const { rows } = await sql<{ id: string }>`select id from conductors`.execute(again.db);
      expect(rows).toEqual([{ id: 'c1' }]);
    } finally {
      await again.close();
    }
  });

  it('keeps nothing of memory:// once stopped', async () => {
    const server = await startEmbeddedServer({ dataDir: 'memory://' });
    expect(server).toMatchObject({ dataDir: 'memory://', preparation: 'from-template' });
    // The socket and the data live in one private directory, removed on stop.
    const runDir = server.connection.host;
    expect(existsSync(join(runDir, 'data', 'PG_VERSION'))).toBe(true);
    const database = await createDatabase({ url: server.url });
    expect(await migrateToLatest(database.db)).toHaveLength(Object.keys(MIGRATIONS).length);
    await database.close();
    await server.stop();
    expect(existsSync(runDir)).toBe(false);
  });

  it('leaves the event loop free while the engine works', async () => {
    const database = await createDatabase({ dataDir: 'memory://' });
    try {
      let turns = 0;
      let working = true;
      const spin = (async () => {
        while (working) {
          await new Promise(setImmediate);
          turns++;
        }
      })();
      // A long query for the engine: in the conductor's thread, no other callback could run meanwhile.
      await sql`select count(*) from generate_series(1, 500000)`.execute(database.db);
      const turnsWhileQuerying = turns;
      working = false;
      await spin;
      // On the conductor's own thread the query would run in one synchronous call: not one turn.
      expect(turnsWhileQuerying).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });

  it('vacuums and analyses on its own, PGlite having no autovacuum', async () => {
    const server = await startEmbeddedServer({ dataDir: 'memory://', maintenanceIntervalMs: 50 });
    const database = await createDatabase({ url: server.url });
    try {
      await sql`create table churn (id int primary key, v int)`.execute(database.db);
      await sql`insert into churn select g, g from generate_series(1, 100) g`.execute(database.db);
      const lastVacuum = async () =>
        (
          await sql<{ at: Date | null }>`select last_vacuum as at from pg_stat_user_tables
            where relname = 'churn'`.execute(database.db)
        ).rows[0]?.at ?? null;
      // Waits on the engine's own timer: the test's deadline only turns a missing run into a failure.
      while ((await lastVacuum()) === null) await new Promise(setImmediate);
      const { rows } = await sql<{ analyzed: Date | null }>`select last_analyze as analyzed
        from pg_stat_user_tables where relname = 'churn'`.execute(database.db);
      expect(rows[0]?.analyzed).toBeInstanceOf(Date);
    } finally {
      await database.close();
      await server.stop();
    }
  });

  it('analyses at open the tables written since their last statistics, so that they are planned with them', async () => {
    const dataDir = join(dir, 'stale');
    const first = await createDatabase({ dataDir, embedded: { maintenanceIntervalMs: 0 } });
    await sql`create table never (id int primary key, v text)`.execute(first.db);
    await sql`create table grown (id int primary key, v text)`.execute(first.db);
    await sql`create table kept (id int primary key, v text)`.execute(first.db);
    await sql`insert into grown select g, repeat('x', 100) from generate_series(1, 100) g`.execute(first.db);
    await sql`insert into kept select g, repeat('x', 100) from generate_series(1, 5000) g`.execute(first.db);
    await sql`analyze grown`.execute(first.db);
    await sql`analyze kept`.execute(first.db);
    await sql`insert into never select g, repeat('x', 100) from generate_series(1, 5000) g`.execute(first.db);
    await sql`insert into grown select g, repeat('x', 100) from generate_series(101, 5000) g`.execute(
      first.db,
    );
    // A few rows more than analysed: not enough to analyse again.
    await sql`insert into kept select g, repeat('x', 100) from generate_series(5001, 5050) g`.execute(
      first.db,
    );
    await first.close();

    const again = await createDatabase({ dataDir, embedded: { maintenanceIntervalMs: 0 } });
    try {
      const { rows } = await sql<{ relname: string; reltuples: number }>`select relname, reltuples
        from pg_class where relname in ('never', 'grown', 'kept') order by relname`.execute(again.db);
      expect(rows).toEqual([
        { relname: 'grown', reltuples: 5000 },
        { relname: 'kept', reltuples: 5000 },
        { relname: 'never', reltuples: 5000 },
      ]);
    } finally {
      await again.close();
    }
  });

  it('analyses, while it runs, a table filled since its statistics (a fleet enrolled through the API)', async () => {
    const server = await startEmbeddedServer({
      dataDir: 'memory://',
      maintenanceIntervalMs: 0,
      statisticsCheckIntervalMs: 20,
    });
    const database = await createDatabase({ url: server.url });
    try {
      await sql`create table enrolled (id int primary key, v text)`.execute(database.db);
      await sql`insert into enrolled select g, repeat('x', 100) from generate_series(1, 3000) g`.execute(
        database.db,
      );
      const reltuples = async () =>
        (
          await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'enrolled'`.execute(
            database.db,
          )
        ).rows[0]?.reltuples;
      // Waits on the engine's own timer: the test's deadline only turns a missing run into a failure.
      while ((await reltuples()) !== 3000) await new Promise(setImmediate);
      // Grown by more than a fifth: analysed again.
      await sql`insert into enrolled select g, repeat('x', 100) from generate_series(3001, 9000) g`.execute(
        database.db,
      );
      while ((await reltuples()) !== 9000) await new Promise(setImmediate);
    } finally {
      await database.close();
      await server.stop();
    }
  });

  it('fails with a DatabaseError naming the directory when it cannot open', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const attempt = createDatabase({ dataDir: file });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseError);
    await expect(attempt).rejects.toThrow(`Cannot open the embedded database (PGlite) in ${file}`);
  });
});

describe('the private directories of embedded servers', () => {
  it('removes those of processes that are gone, and only those', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'run-dirs-'));
    try {
      const gone = join(parent, 'ironic-pglite-999999-a1b2c3');
      const live = join(parent, 'ironic-pglite-4242-d4e5f6');
      const mine = await makeRunDir(parent);
      const other = join(parent, 'unrelated-999999-x');
      for (const dir of [gone, live, other]) await mkdir(join(dir, 'data'), { recursive: true });
      const removed = await removeStaleRunDirs(parent, (pid) => pid === 4242);
      expect(removed).toEqual(['ironic-pglite-999999-a1b2c3']);
      expect([gone, live, mine, other].map((dir) => existsSync(dir))).toEqual([false, true, true, true]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
