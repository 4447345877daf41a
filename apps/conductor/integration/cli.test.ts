// The `ironic-conductor` commands an operator runs around an upgrade, as processes on a real data
// directory: db version, db upgrade, a start refused on a newer schema, and the healthcheck.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/create-database.js';
import { knownMigrations } from '../src/db-admin/schema-version.js';
import { freePort, runCommand, spawnCommand } from './support/processes.js';

const BIN = fileURLToPath(new URL('../bin/ironic-conductor.js', import.meta.url));

describe('ironic-conductor db upgrade, db version, and a start on a newer schema', () => {
  let dir: string;
  let config: string;
  let port: number;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const cli = (...args: string[]) =>
    runCommand(process.execPath, [BIN, ...args, '--config', config], { cwd: dir, env });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conductor-cli-'));
    config = join(dir, 'conductor.json');
    port = await freePort();
    await writeFile(
      config,
      JSON.stringify({
        api: { port },
        database: { data_dir: join(dir, 'db'), migrate_on_start: false },
        drivers: { enabled: ['@ironic/driver-fake'] },
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows an empty database, refuses to start on it without migrating, then upgrades it', async () => {
    const before = await cli('db', 'version');
    expect(before.code).toBe(0);
    expect(before.output).toContain(
      `schema:   (empty)\nlatest:   ${knownMigrations().at(-1)} (this conductor)\n`,
    );
    expect(before.output).toContain(`status:   ${knownMigrations().length} migration(s) pending`);

    const refused = await cli();
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(
      /^ironic-conductor: .*database\.migrate_on_start is false: run "ironic-conductor db upgrade" first/m,
    );

    const upgrade = await cli('db', 'upgrade');
    expect(upgrade.code).toBe(0);
    expect(upgrade.output).toContain(`applied:  ${knownMigrations().join(', ')}\n`);
    expect(upgrade.output).toContain('status:   up to date\n');
    expect((await cli('db', 'upgrade')).output).toContain('applied:  nothing (already up to date)\n');
  });

  it('starts on the upgraded database, answers the healthcheck, and exits 0 on SIGINT', async () => {
    const conductor = spawnCommand(process.execPath, [BIN, '--config', config], { cwd: dir, env });
    try {
      await conductor.waitFor(/"msg":"conductor started"/);
      expect(await cli('healthcheck')).toEqual({ code: 0, output: '' });
      // A second process on the same embedded database is refused, naming the holder.
      const locked = await cli('db', 'upgrade');
      expect(locked.code).toBe(1);
      expect(locked.output).toContain(`in use by another conductor (pid ${conductor.child.pid}`);
    } finally {
      expect(await conductor.stop('SIGINT')).toEqual({ code: 0, signal: null });
    }
    const down = await cli('healthcheck');
    expect(down.code).toBe(1);
  });

  it('refuses to start on a schema a newer conductor migrated, and says what to do', async () => {
    const database = await createDatabase({ dataDir: join(dir, 'db') });
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', now()::text)`.execute(
      database.db,
    );
    await database.close();
    const refused = await cli();
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      'has schema migrations this conductor does not know (9999-from-the-future',
    );
    expect(refused.output).toContain('restore the backup taken before the upgrade');
    const version = await cli('db', 'version');
    expect(version.output).toContain(
      'status:   newer than this conductor (unknown migrations: 9999-from-the-future)',
    );
    expect((await cli('db', 'upgrade')).code).toBe(1);
  });
});
