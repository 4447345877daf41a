import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../support/tcp-proxy.js';
import { POSTGRES_URL, postgresReachable, registerTestSchema } from '../support/test-databases.js';

const BIN = fileURLToPath(new URL('../../bin/ironic-conductor.js', import.meta.url));
/** A start-up that has not ended by then hangs: the test fails rather than waiting for vitest. */
const KILL_AFTER_MS = 20_000;
const DRIVERS = { enabled: ['@ironic/driver-fake'] };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conductor-startup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function writeConfig(config: unknown): Promise<string> {
  const file = join(dir, `${randomBytes(4).toString('hex')}.json`);
  await writeFile(file, JSON.stringify(config));
  return file;
}

/** Runs the CLI to its end in `dir`, with a bare environment (no DATABASE_URL of the test run). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, timeout: KILL_AFTER_MS },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function stderrLines(outcome: Outcome): string[] {
  return outcome.stderr.split('\n').filter(Boolean);
}

describe('a start-up that cannot succeed ends the process with one line naming the setting', () => {
  it('a data_dir that cannot be created (/proc/nope/x) fails instead of hanging', async () => {
    const outcome = await cli([
      '--config',
      await writeConfig({ database: { data_dir: '/proc/nope/x' }, drivers: DRIVERS }),
    ]);
    expect(outcome.code).toBe(1);
    expect(stderrLines(outcome)).toEqual([
      "ironic-conductor: Cannot use /proc/nope/x as the embedded database's data directory (database.data_dir, env IRONIC_DATA_DIR): ENOENT: no such file or directory, mkdir '/proc/nope'",
    ]);
  });

  it('a data_dir under a file names database.data_dir', async () => {
    const outcome = await cli(['--config', await writeConfig({ drivers: DRIVERS })], {
      IRONIC_DATA_DIR: '/etc/passwd/x',
    });
    expect(outcome.code).toBe(1);
    const lines = stderrLines(outcome);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^ironic-conductor: Cannot use \/etc\/passwd\/x .*\(database\.data_dir, env IRONIC_DATA_DIR\): ENOTDIR/,
    );
  });

  it('without --config (so no driver) refuses as Ironic does, and writes nothing', async () => {
    const outcome = await cli([]);
    expect(outcome.code).toBe(1);
    const lines = stderrLines(outcome);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "cannot be started because no driver packages were specified in the 'drivers.enabled' config option",
    );
    expect(lines[0]).toContain('pass one with --config');
    expect(existsSync(join(dir, '.data'))).toBe(false);
  });
});

const postgresUp = await postgresReachable();

describe.skipIf(!postgresUp)('start-up on PostgreSQL', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    const target = new URL(POSTGRES_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('an API port in use exits naming api.port, and leaves no cluster member behind', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const schema = `startup_${randomBytes(6).toString('hex')}`;
    registerTestSchema(POSTGRES_URL, schema);
    try {
      const outcome = await cli([
        '--config',
        await writeConfig({
          conductor: { id: 'port-clash', host: 'port-clash' },
          api: { host: '127.0.0.1', port },
          database: { url: POSTGRES_URL, schema },
          drivers: DRIVERS,
        }),
      ]);
      expect(outcome.code).toBe(1);
      expect(stderrLines(outcome)).toEqual([
        `ironic-conductor: The API cannot listen on 127.0.0.1:${port}: the address is already in use (api.port, env IRONIC_API_PORT)`,
      ]);
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const members = await client.query(`select id from "${schema}".conductors where online`);
        expect(members.rows).toEqual([]);
      } finally {
        await client.end();
      }
    } finally {
      blocker.close();
    }
  });

  it('a PostgreSQL that refuses is retried for database.connect_timeout, each wait logged, then named', async () => {
    proxy.cut();
    const outcome = await cli([
      '--config',
      await writeConfig({
        database: { url: proxy.rewrite(POSTGRES_URL), connect_timeout: 1 },
        drivers: DRIVERS,
      }),
    ]);
    proxy.restore();
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('"msg":"waiting for the database"');
    const lines = stderrLines(outcome);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `Cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:${proxy.port}/test`,
    );
    expect(lines[0]).toContain(
      '(database.url, env DATABASE_URL; gave up after database.connect_timeout = 1 s)',
    );
  });

  it('a conductor started before its database comes up once the database does', async () => {
    const schema = `startup_${randomBytes(6).toString('hex')}`;
    registerTestSchema(POSTGRES_URL, schema);
    proxy.cut();
    const config = await writeConfig({
      conductor: { id: 'early-bird', host: 'early-bird' },
      api: { host: '127.0.0.1', port: 0 },
      database: { url: proxy.rewrite(POSTGRES_URL), schema, connect_timeout: 600 },
      drivers: DRIVERS,
      log: { level: 'info', pretty: false },
    });
    const child: ChildProcess = spawn(process.execPath, [BIN, '--config', config], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const messages = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const next = async (msg: string) => {
        for (;;) {
          const line = await messages.next();
          if (line.done) throw new Error(`the conductor ended before logging "${msg}"`);
          if ((JSON.parse(line.value) as { msg?: string }).msg === msg) return;
        }
      };
      await next('waiting for the database');
      proxy.restore();
      await next('conductor started');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proxy.restore();
      child.kill('SIGKILL');
    }
  });
});
