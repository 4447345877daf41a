import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareDataDir } from '../../src/db/embedded/data-dir-template.js';
import { settingArguments } from '../../src/db/embedded/engine-settings.js';
import { ProtocolServer } from '../../src/db/embedded/protocol-server.js';

// The server in this process over a real PGlite (made from the build's template), reached by node-postgres.
describe('the PostgreSQL-protocol server over one PGlite session', () => {
  let dir: string;
  let pglite: PGlite;
  let server: ProtocolServer;
  const clients: pg.Client[] = [];

  async function connect(options: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
    const client = new pg.Client({
      host: dir,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      ...options,
    });
    // A server-side end (the idle timeout) arrives as an error event: the test reads it from the query.
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    return client;
  }

  /** Lets the event loop turn until `condition` holds (events, not time, decide; the test's deadline bounds it). */
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise(setImmediate);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'protocol-server-'));
    await prepareDataDir(join(dir, 'data'));
    pglite = await PGlite.create({
      dataDir: join(dir, 'data'),
      startParams: [...PGlite.defaultStartParams, ...settingArguments()],
    });
    server = new ProtocolServer({
      engine: { exec: (messages, onData) => pglite.execProtocolRawStream(messages, { onRawData: onData }) },
      database: 'postgres',
      user: 'postgres',
      parameters: { server_version: '17', client_encoding: 'UTF8' },
      idleInTransactionTimeoutMs: 200,
    });
    await server.listen(join(dir, '.s.PGSQL.5432'));
    await pglite.exec('create table log (entry text)');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => undefined);
    await until(() => server.connectionCount === 0);
    await pglite.exec('truncate log');
  });
  afterAll(async () => {
    await server?.close();
    await pglite?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a statement of another connection only after a transaction holding the session ends', async () => {
    const holder = await connect();
    const other = await connect();
    await holder.query('begin');
    await holder.query("insert into log values ('rolled back')");
    const waiting = other.query("insert into log values ('autocommit')");
    await until(() => server.waitingCount === 1);
    // Interleaved into the open transaction, the other insert would be rolled back with it.
    await holder.query('rollback');
    await waiting;
    const { rows } = await holder.query('select entry from log');
    expect(rows).toEqual([{ entry: 'autocommit' }]);
  });

  it('gives each connection the settings of its startup options, whoever used the session before', async () => {
    const admin = await connect();
    await admin.query('create schema if not exists alpha; create schema if not exists beta');
    const alpha = await connect({ options: '-c search_path=alpha' });
    const beta = await connect({ options: '-c search_path=beta' });
    await alpha.query('create table if not exists t (v text)');
    await beta.query('create table if not exists t (v text)');
    await Promise.all([
      alpha.query("insert into t values ('a')"),
      beta.query("insert into t values ('b')"),
      alpha.query("insert into t values ('a2')"),
    ]);
    expect((await alpha.query('select v from t order by v')).rows).toEqual([{ v: 'a' }, { v: 'a2' }]);
    expect((await beta.query('select current_schema() as s, v from t')).rows).toEqual([
      { s: 'beta', v: 'b' },
    ]);
    expect((await admin.query('select current_schema() as s')).rows).toEqual([{ s: 'public' }]);
    await admin.query('drop schema alpha cascade; drop schema beta cascade');
  });

  it('answers errors and parameters as PostgreSQL does, and the session stays usable', async () => {
    const client = await connect();
    await expect(client.query('select * from missing_table')).rejects.toMatchObject({ code: '42P01' });
    const { rows } = await client.query('select $1::int + $2::int as sum, $3::jsonb as doc', [
      2,
      3,
      '{"a":1}',
    ]);
    expect(rows).toEqual([{ sum: 5, doc: { a: 1 } }]);
    await client.query('begin');
    await expect(client.query('select 1/0')).rejects.toMatchObject({ code: '22012' });
    await expect(client.query('select 1')).rejects.toMatchObject({ code: '25P02' });
    await client.query('rollback');
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('rolls back and frees the session when a connection leaves in a transaction', async () => {
    const leaver = await connect();
    const other = await connect();
    await leaver.query('begin');
    await leaver.query("insert into log values ('left behind')");
    const waiting = other.query("insert into log values ('after')");
    await until(() => server.waitingCount === 1);
    await leaver.end();
    await waiting;
    expect((await other.query('select entry from log')).rows).toEqual([{ entry: 'after' }]);
  });

  it('ends a connection idle in a transaction for too long, so it cannot block the others', async () => {
    const idle = await connect();
    const other = await connect();
    await idle.query('begin');
    await idle.query("insert into log values ('abandoned')");
    await other.query("insert into log values ('served')");
    await expect(idle.query('commit')).rejects.toThrow();
    expect((await other.query('select entry from log')).rows).toEqual([{ entry: 'served' }]);
  });

  it('refuses an unknown database or role, and a setting PostgreSQL rejects, at connection time', async () => {
    await expect(connect({ database: 'other' })).rejects.toMatchObject({ code: '3D000' });
    await expect(connect({ user: 'ironic' })).rejects.toMatchObject({ code: '28000' });
    await expect(connect({ options: '-c no_such_setting=1' })).rejects.toThrow(/no_such_setting/);
    expect((await (await connect()).query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
