// Two real ironic-conductor processes with the real drac driver on one PostgreSQL, against a simulated
// iDRAC: the conductor owning a node in `clean wait` (a RAID job running on the BMC) is killed with
// SIGKILL, and the survivor's RAID job poll finishes the cleaning with no manual step. Deadlines only turn a
// hang into a failure; how fast takeover is, is the conductor's takeover benchmark's business.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Database, HashRing, migrateToLatest } from '@ironic/conductor';
import { ManualClock } from '@ironic/periodic-core';
import { type RedfishFleet, startRedfishFleet } from '@ironic/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, POSTGRES_URL } from './support/postgres.js';

const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(
  dirname(createRequire(import.meta.url).resolve('@ironic/conductor/package.json')),
  'dist/cli.js',
);
const HEARTBEAT_INTERVAL = 0.5;
const HEARTBEAT_TIMEOUT = 3;
const POLL_INTERVAL = 1;
/** The RAID job's length on the BMC's own fake clock: it ends only when the test moves that clock. */
const RAID_JOB_MS = 60_000;
/** Turns a hang into a failure; never reached by a working conductor, however busy the machine. */
const DEADLINE_MS = 120_000;

const schema = `demo_cluster_${randomBytes(6).toString('hex')}`;

/** The test's own schema on the test PostgreSQL, migrated; undefined (the test skips) when unreachable outside CI. */
async function openDatabase(): Promise<Database | undefined> {
  const database = await openPostgres(schema);
  if (database) await migrateToLatest(database.db);
  return database;
}

interface Conductor {
  readonly id: string;
  readonly child: ChildProcess;
  readonly address: string;
  readonly exited: Promise<unknown>;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const opened = await openDatabase();

describe.skipIf(!opened)(
  'RAID cleaning survives the death of its conductor',
  { timeout: 4 * DEADLINE_MS },
  () => {
    const database = opened as Database;
    let fleet: RedfishFleet;
    const bmcClock = new ManualClock(Date.now());
    let workDir: string;
    const conductors = new Map<string, Conductor>();

    async function startConductor(id: string): Promise<Conductor> {
      const configPath = join(workDir, `${id}.json`);
      await writeFile(
        configPath,
        JSON.stringify({
          conductor: {
            id,
            host: id,
            heartbeat_interval: HEARTBEAT_INTERVAL,
            heartbeat_timeout: HEARTBEAT_TIMEOUT,
          },
          api: { host: '127.0.0.1', port: 0 },
          database: { url: POSTGRES_URL, schema },
          periodic: { shutdown_timeout: 1 },
          drivers: {
            enabled: ['@ironic/driver-drac'],
            options: { drac: { query_raid_config_job_status_interval: POLL_INTERVAL } },
          },
          log: { level: 'info', pretty: false },
        }),
      );
      const env = { ...process.env };
      for (const name of [
        'DATABASE_URL',
        'IRONIC_DATA_DIR',
        'IRONIC_API_HOST',
        'IRONIC_API_PORT',
        'LOG_LEVEL',
      ]) {
        delete env[name];
      }
      // Spawned in the demo's directory: the conductor finds @ironic/driver-drac in its node_modules.
      const child = spawn(process.execPath, [CLI, '--config', configPath], {
        cwd: DEMO_DIR,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const stderr: string[] = [];
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${id} did not start: ${stderr.join('')}`)),
          DEADLINE_MS,
        );
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; address?: string };
          if (entry.msg === 'conductor started' && entry.address) {
            clearTimeout(timer);
            resolve(entry.address);
          }
        });
        exited.then(() => reject(new Error(`${id} exited before starting: ${stderr.join('')}`)));
      });
      const conductor = { id, child, address, exited };
      conductors.set(id, conductor);
      return conductor;
    }

    const nodeRow = (uuid: string) =>
      database.db.selectFrom('nodes').selectAll().where('uuid', '=', uuid).executeTakeFirstOrThrow();

    async function request(
      conductor: Conductor,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<Response> {
      const response = await fetch(`${conductor.address}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-openstack-ironic-api-version': '1.82' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status >= 400)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response;
    }

    beforeAll(async () => {
      fleet = await startRedfishFleet({ clock: bmcClock });
      workDir = await mkdtemp(join(tmpdir(), 'demo-cluster-'));
      await Promise.all([startConductor('c1'), startConductor('c2')]);
    }, 2 * DEADLINE_MS);

    afterAll(async () => {
      for (const conductor of conductors.values()) {
        if (conductor.child.exitCode === null && conductor.child.signalCode === null)
          conductor.child.kill('SIGKILL');
        await conductor.exited;
      }
      await fleet?.close();
      if (workDir) await rm(workDir, { recursive: true, force: true });
      if (opened) {
        await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
        await database.close();
      }
    });

    it('finishes a node’s RAID job on the survivor after kill -9 of its owner, leaving no lock behind', async () => {
      const bmc = await fleet.addBmc({ jobDurationMs: RAID_JOB_MS });
      const c1 = conductors.get('c1') as Conductor;
      const created = await request(c1, 'POST', '/v1/nodes', {
        driver: 'drac',
        driver_info: {
          redfish_address: bmc.url,
          redfish_username: bmc.username,
          redfish_password: bmc.password,
        },
      });
      const { uuid } = (await created.json()) as { uuid: string };
      await request(c1, 'PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'manage' });
      await waitFor(
        'manageable',
        async () => ((await nodeRow(uuid)).provision_state === 'manageable' ? true : undefined),
        DEADLINE_MS,
      );

      await request(c1, 'PUT', `/v1/nodes/${uuid}/states/raid`, {
        logical_disks: [{ size_gb: 'MAX', raid_level: '1', is_root_volume: true }],
      });
      await request(c1, 'PUT', `/v1/nodes/${uuid}/states/provision`, {
        target: 'clean',
        clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
      });
      await waitFor(
        'clean wait with a RAID job',
        async () => {
          const node = await nodeRow(uuid);
          const jobs = (node.driver_internal_info as { raid_config_job_ids?: string[] }).raid_config_job_ids;
          return node.provision_state === 'clean wait' && (jobs?.length ?? 0) > 0 ? true : undefined;
        },
        DEADLINE_MS,
      );

      const owner = new HashRing(['c1', 'c2']).get(uuid) as string;
      const survivor = owner === 'c1' ? 'c2' : 'c1';
      const victim = conductors.get(owner) as Conductor;
      victim.child.kill('SIGKILL');
      await victim.exited;
      // Still waiting on the BMC's job when its conductor died: only the survivor can finish it.
      expect((await nodeRow(uuid)).provision_state).toBe('clean wait');
      // The BMC finishes the job while its conductor is dead.
      await bmcClock.advance(RAID_JOB_MS);

      const done = await waitFor(
        'the survivor to finish cleaning',
        async () => {
          const node = await nodeRow(uuid);
          return ['manageable', 'clean failed'].includes(node.provision_state) ? node : undefined;
        },
        DEADLINE_MS,
      );
      expect(done.provision_state).toBe('manageable');
      expect(done.last_error).toBeNull();
      expect((done.raid_config as { logical_disks?: { raid_level: string }[] }).logical_disks).toEqual([
        expect.objectContaining({ raid_level: '1' }),
      ]);
      expect(done.reservation === null || done.reservation === survivor).toBe(true);
      await waitFor(
        'no lock left by the dead conductor',
        async () => {
          const held = await database.db
            .selectFrom('nodes')
            .select('uuid')
            .where('reservation', '=', owner)
            .execute();
          return held.length === 0 ? true : undefined;
        },
        DEADLINE_MS,
      );
    });
  },
);
