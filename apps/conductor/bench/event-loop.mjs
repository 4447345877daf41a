// Does the conductor's event loop stay free while its database works hard? A conductor (this process,
// listening on 127.0.0.1) with --nodes nodes is probed one request at a time with `GET /v1` (no database)
// and `GET /v1/nodes/{uuid}` (one row) for --duration seconds per phase, while the event loop's delay is
// sampled: with no load; while --load loops run an aggregate over every node (CPU in the database, a few
// rows back); while they read every node in pages of 1,000 back to back (as a sweep does: the rows come
// back to the conductor). On the embedded database and on PostgreSQL. Prints p50 / p99 / max in ms, and
// the RSS of this process (the conductor and its load) after each phase.
// Usage: node bench/event-loop.mjs [--nodes=5000] [--duration=10] [--load=2]
import { execFileSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import {
  conductorPackage,
  dropSchema,
  nodeRow,
  option,
  POSTGRES_URL,
  postgresSchema,
  printTable,
  summary,
} from './support.mjs';

const nodeCount = Number(option('nodes', '5000'));
const durationMs = Number(option('duration', '10')) * 1000;
const loadLoops = Number(option('load', '2'));
const { createConductor, createDatabase, defineConfig } = await conductorPackage();

async function bench(name, database) {
  const config = defineConfig({
    conductor: { id: 'bench', host: 'bench-host' },
    api: { host: '127.0.0.1', port: 0 },
    database,
    log: { level: 'silent' },
  });
  const conductor = await createConductor(config, { logger: pino({ level: 'silent' }) });
  try {
    const { address } = await conductor.start();
    const uuids = await seed(conductor.database.db);
    for (const load of [undefined, 'aggregate', 'pages']) {
      const phase = await probe(conductor.database.db, address, uuids, load);
      rows.push({
        database: name,
        load: load
          ? `${loadLoops} × ${load} (${phase.heavyQueries} queries, p50 ${phase.heavyMs.p50} ms)`
          : 'none',
        'GET /v1 ms': format(phase.root),
        'GET /v1/nodes/{uuid} ms': format(phase.node),
        'event loop delay ms': format(phase.delay),
        'RSS after MiB': Math.round(process.memoryUsage().rss / 1048576),
      });
    }
  } finally {
    await conductor.stop({ timeout: 5000 });
  }
}

function format({ p50, p99, max }) {
  return `${p50} / ${p99} / ${max}`;
}

/** Inserts the nodes in batches; returns their UUIDs. */
async function seed(db) {
  const uuids = [];
  for (let batch = 0; batch < nodeCount; batch += 500) {
    const values = [];
    for (let index = batch; index < Math.min(nodeCount, batch + 500); index++) {
      const row = nodeRow(index);
      uuids.push(row.uuid);
      values.push(row);
    }
    await db.insertInto('nodes').values(values).execute();
  }
  return uuids;
}

/** The heavy statements of a load loop. */
const LOADS = {
  aggregate: async (db) => {
    await sql`select n.provision_state, count(*),
        sum(length(n.driver_info::text) + length(n.properties::text) + length(md5(n.uuid || g::text)))
      from nodes n cross join generate_series(1, 5) g group by n.provision_state`.execute(db);
  },
  pages: async (db, page) => {
    const rows = await db
      .selectFrom('nodes')
      .selectAll()
      .orderBy('uuid')
      .limit(1000)
      .offset((page * 1000) % nodeCount)
      .execute();
    if (rows.length === 0) throw new Error('no nodes read');
  },
};

/** One phase: sequential probes of both routes, optionally under a load, with the loop delay sampled. */
async function probe(db, address, uuids, load) {
  const deadline = performance.now() + durationMs;
  const heavyMs = [];
  const loops = load
    ? Array.from({ length: loadLoops }, async (_, loop) => {
        for (let page = loop; performance.now() < deadline; page += loadLoops) {
          const started = performance.now();
          await LOADS[load](db, page);
          heavyMs.push(performance.now() - started);
        }
      })
    : [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const root = [];
  const node = [];
  for (let turn = 0; performance.now() < deadline; turn++) {
    const url = turn % 2 === 0 ? `${address}/v1` : `${address}/v1/nodes/${uuids[turn % uuids.length]}`;
    const started = performance.now();
    const response = await fetch(url, { headers: { 'X-OpenStack-Ironic-API-Version': '1.82' } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    (turn % 2 === 0 ? root : node).push(performance.now() - started);
  }
  delay.disable();
  await Promise.all(loops);
  const ms = (nanoseconds) => Math.round(nanoseconds / 1e5) / 10;
  return {
    root: summary(root),
    node: summary(node),
    delay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    heavyQueries: heavyMs.length,
    heavyMs: summary(heavyMs),
  };
}

const rows = [];
if (process.argv[2] === '--child') {
  if (process.argv[3] === 'embedded') await bench('embedded', { data_dir: 'memory://' });
  const schema = process.argv[3] === 'postgres' ? await postgresSchema(createDatabase) : undefined;
  if (schema) {
    try {
      await bench('PostgreSQL', { url: POSTGRES_URL, schema });
    } finally {
      await dropSchema(createDatabase, schema);
    }
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else {
  // One process per database, so that one's memory does not count in the other's.
  for (const kind of ['embedded', 'postgres']) {
    const output = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', kind, ...process.argv.slice(2)],
      { encoding: 'utf8' },
    );
    const lines = output.trim().split('\n');
    for (const line of lines.slice(0, -1)) console.log(line);
    rows.push(...JSON.parse(lines.at(-1)));
  }
  printTable(rows);
}
