// One case of `pnpm bench:scale`, run in a process of its own: prints one JSON line of figures.
// Usage: node bench/scale/case.mjs <case> '<options as JSON>'
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { cliEntry, conductorPackage, dropSchema, median, POSTGRES_URL, postgresSchema } from '../support.mjs';
import { seedNodes } from './seed.mjs';
import { runLoad, sweepTask, timeSweep } from './sweep.mjs';

const [caseName, rawOptions = '{}'] = process.argv.slice(2);
const options = JSON.parse(rawOptions);
const pkg = await conductorPackage();
const { createConductor, createDatabase, defineConfig, HashRing, KyselyNodeRepository, migrateToLatest } =
  pkg;
const DRIVER = 'fake-hardware';
/** The page size of the conductor's sweeps on the embedded database (500 on PostgreSQL). */
const EMBEDDED_PAGE_SIZE = 100;
const round = (value) => Math.round(value);

const CASES = {
  /** Peak and idle RSS of the real conductor process on the embedded database. */
  'memory-embedded': embeddedMemory,

  /** No-op sweeps over every node on PostgreSQL, and what two conductors read of them. */
  async 'sweep-noop-postgres'({ nodes, runs }) {
    return withPostgres(nodes, async (db) => {
      const repository = new KyselyNodeRepository(db);
      const sweep = sweepTask({ repository, driver: DRIVER, concurrency: 1, handlerMs: 0 });
      await timeSweep(sweep); // warm-up: connections, JIT, the table in the server's cache
      const samples = [];
      for (let run = 0; run < runs; run++) samples.push(await timeSweep(sweep));
      // Two conductors: each sweep reads its own ring ranges, so their rows add up to the nodes once.
      const ring = new HashRing(['conductor-a', 'conductor-b']);
      let rowsReadByBoth = 0;
      for (const member of ring.members) {
        const own = sweepTask({
          repository,
          driver: DRIVER,
          concurrency: 1,
          handlerMs: 0,
          ownedRanges: () => ring.rangesOf(member),
          ownsNode: (node) => ring.get(node.uuid) === member,
        });
        rowsReadByBoth += (await timeSweep(own)).visited;
      }
      return { ...sweepFigures(samples, nodes), rowsReadByTwoConductors: rowsReadByBoth };
    });
  },

  /** No-op sweeps over every node on the embedded database. */
  async 'sweep-noop-embedded'({ nodes, runs }) {
    return withEmbedded(nodes, async (db) => {
      const sweep = sweepTask({
        repository: new KyselyNodeRepository(db),
        driver: DRIVER,
        concurrency: 1,
        handlerMs: 0,
        pageSize: EMBEDDED_PAGE_SIZE,
      });
      await timeSweep(sweep);
      const samples = [];
      for (let run = 0; run < runs; run++) samples.push(await timeSweep(sweep));
      return sweepFigures(samples, nodes);
    });
  },

  /** A sweep whose handler waits `handlerMs` at `concurrency`, against its floor N × handlerMs / concurrency. */
  async 'sweep-handler-postgres'({ nodes, handlerMs, concurrency }) {
    return withPostgres(nodes, async (db) => {
      const repository = new KyselyNodeRepository(db);
      const sweep = sweepTask({ repository, driver: DRIVER, concurrency, handlerMs });
      const sample = await timeSweep(sweep);
      const floorMs = (nodes * handlerMs) / concurrency;
      return {
        nodes,
        handlerMs,
        concurrency,
        wallMs: round(sample.wallMs),
        cpuMs: round(sample.cpuMs),
        floorMs: round(floorMs),
        ratio: Math.round((sample.wallMs / floorMs) * 1000) / 1000,
      };
    });
  },

  /**
   * The API of a real conductor on the embedded database while no-op sweeps run back to back in it:
   * `GET /v1/nodes/{uuid}` and `GET /v1/nodes?limit=1000` at `concurrency` from another process, and
   * the conductor's heartbeats (due every `heartbeatS` seconds) over the same time.
   */
  async 'api-under-sweeps-embedded'({
    nodes,
    concurrency,
    durationS,
    heartbeatS,
    sweeps: withSweeps = true,
  }) {
    const conductor = await createConductor(
      defineConfig({
        conductor: {
          id: 'bench',
          host: 'bench-host',
          heartbeat_interval: heartbeatS,
          heartbeat_timeout: heartbeatS * 6,
          sync_power_state_interval: 0,
          power_failure_recovery_interval: 0,
        },
        api: { host: '127.0.0.1', port: 0 },
        database: { data_dir: 'memory://' },
        // A conductor with no enabled driver refuses to start, as Ironic's does.
        drivers: { enabled: ['@ironic/driver-fake'] },
        log: { level: 'silent' },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const { address } = await conductor.start();
      const uuids = await seedNodes(conductor.database.db, nodes);
      const sweep = sweepTask({
        repository: new KyselyNodeRepository(conductor.database.db),
        driver: DRIVER,
        concurrency: 1,
        handlerMs: 0,
        pageSize: EMBEDDED_PAGE_SIZE,
      });
      let sweeping = withSweeps;
      const sweepMs = [];
      const sweeps = (async () => {
        while (sweeping) sweepMs.push((await timeSweep(sweep)).wallMs);
      })();
      const heartbeats = watchHeartbeats(conductor);
      const node = await runLoad({
        base: address,
        paths: uuids.slice(0, 2000).map((uuid) => `/v1/nodes/${uuid}`),
        concurrency,
        durationS,
      });
      const list = await runLoad({ base: address, paths: ['/v1/nodes?limit=1000'], concurrency, durationS });
      const beats = heartbeats.stop();
      sweeping = false;
      await sweeps;
      return {
        nodes,
        concurrency,
        'GET /v1/nodes/{uuid}': node,
        'GET /v1/nodes?limit=1000': list,
        sweepsDuringLoad: sweepMs.length,
        sweepMs: round(median(sweepMs)),
        heartbeat: { intervalMs: heartbeatS * 1000, ...beats },
      };
    } finally {
      await conductor.stop({ timeout: 5000 });
    }
  },

  /** `GET /v1/nodes?limit=1000` (Ironic 1.82's summary fields) on PostgreSQL at `concurrency`. */
  async 'api-list-postgres'({ nodes, concurrency, durationS }) {
    const schema = await postgresSchema(createDatabase);
    if (!schema) return { skipped: 'PostgreSQL unreachable' };
    const conductor = await createConductor(
      defineConfig({
        conductor: {
          id: 'bench',
          host: 'bench-host',
          sync_power_state_interval: 0,
          power_failure_recovery_interval: 0,
        },
        api: { host: '127.0.0.1', port: 0 },
        database: { url: POSTGRES_URL, schema },
        drivers: { enabled: ['@ironic/driver-fake'] },
        log: { level: 'silent' },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const { address } = await conductor.start();
      await seedNodes(conductor.database.db, nodes);
      await sql`analyze nodes`.execute(conductor.database.db);
      await runLoad({ base: address, paths: ['/v1/nodes?limit=1000'], concurrency, durationS: 2 });
      const list = await runLoad({ base: address, paths: ['/v1/nodes?limit=1000'], concurrency, durationS });
      return { nodes, concurrency, 'GET /v1/nodes?limit=1000': list };
    } finally {
      await conductor.stop({ timeout: 5000 });
      await dropSchema(createDatabase, schema);
    }
  },
};

/**
 * Starts the real `ironic-conductor` on a fresh and then the same embedded data directory: its peak RSS
 * during the start (VmHWM) and its RSS after `idleS` seconds idle, in MiB.
 */
async function embeddedMemory({ idleS }) {
  const work = await mkdtemp(join(tmpdir(), 'conductor-bench-scale-'));
  try {
    const dataDir = join(work, 'data');
    const first = await startAndMeasure(work, { data_dir: dataDir }, idleS);
    const again = await startAndMeasure(work, { data_dir: dataDir }, idleS);
    return {
      firstStart: first,
      existingDataDir: again,
      peakMiB: Math.max(first.peakMiB, again.peakMiB),
      idleMiB: Math.max(first.idleMiB, again.idleMiB),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function startAndMeasure(work, database, idleS) {
  const configPath = join(work, 'conductor.json');
  await writeFile(
    configPath,
    JSON.stringify({
      conductor: { id: 'bench', host: 'bench-host' },
      api: { host: '127.0.0.1', port: 0 },
      database,
      // A conductor with no enabled driver refuses to start, as Ironic's does.
      drivers: { enabled: ['@ironic/driver-fake'] },
      log: { level: 'info' },
    }),
  );
  const env = { ...process.env };
  for (const variable of Object.keys(pkg.ENV_OVERRIDES)) delete env[variable];
  const child = spawn(process.execPath, [fileURLToPath(cliEntry), '--config', configPath], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"msg":"conductor started"')) resolve();
    });
    exited.then((code) => reject(new Error(`the conductor exited (${code}) before starting: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const mib = (field) =>
    Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024);
  const sample = { peakMiB: mib('VmHWM'), idleMiB: mib('VmRSS') };
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`the conductor stopped with ${code}: ${stderr}`);
  return sample;
}

function sweepFigures(samples, nodes) {
  return {
    nodes,
    runs: samples.length,
    wallMs: round(median(samples.map((s) => s.wallMs))),
    cpuMs: round(median(samples.map((s) => s.cpuMs))),
    wallMsEach: samples.map((s) => round(s.wallMs)),
    cpuMsEach: samples.map((s) => round(s.cpuMs)),
    visited: samples[0]?.visited,
  };
}

async function withPostgres(nodes, work) {
  const schema = await postgresSchema(createDatabase);
  if (!schema) return { skipped: 'PostgreSQL unreachable' };
  const database = await createDatabase({ url: POSTGRES_URL, schema });
  try {
    await migrateToLatest(database.db);
    await seedNodes(database.db, nodes);
    await sql`analyze nodes`.execute(database.db);
    return await work(database.db);
  } finally {
    await database.close();
    await dropSchema(createDatabase, schema);
  }
}

async function withEmbedded(nodes, work) {
  const database = await createDatabase({ dataDir: 'memory://' });
  try {
    await migrateToLatest(database.db);
    await seedNodes(database.db, nodes);
    await sql`analyze nodes`.execute(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** Samples the heartbeat task's starts; `stop()` gives their count and the longest gap between them. */
function watchHeartbeats(conductor) {
  const starts = new Set();
  const sample = () => {
    const stats = conductor.worker.stats().find((task) => task.name === 'conductor.heartbeat');
    if (stats?.lastStartedAt) starts.add(stats.lastStartedAt);
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const sorted = [...starts].sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((start, index) => start - sorted[index]);
      return { beats: sorted.length, maxGapMs: gaps.length ? Math.max(...gaps) : null };
    },
  };
}

const run = CASES[caseName];
if (!run) {
  console.error(`unknown case "${caseName}" (${Object.keys(CASES).join(', ')})`);
  process.exit(2);
}
const figures = await run(options);
process.stdout.write(`${JSON.stringify({ case: caseName, ...options, ...figures })}\n`);
process.exit(0);
