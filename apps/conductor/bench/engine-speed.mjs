// The embedded engine with V8's baseline WebAssembly code (the default) or optimised code
// (`embedded.optimize`): SQL time and memory. Each mode runs in its own process, since V8 has one such
// setting per process: single-row inserts, 1,000-row page reads, an aggregate over every node, and the
// process' RSS afterwards. Usage: node bench/engine-speed.mjs [--nodes=5000]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { conductorPackage, nodeRow, option, printTable } from './support.mjs';

const nodeCount = Number(option('nodes', '5000'));

if (process.argv[2] === '--child') {
  process.stdout.write(`${JSON.stringify(await measure(process.argv[3] === 'optimize'))}\n`);
} else {
  const rows = ['baseline', 'optimize'].map((mode) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--child', mode, ...process.argv.slice(2)],
        {
          encoding: 'utf8',
        },
      ),
    ),
  );
  printTable(rows);
}

async function measure(optimize) {
  const { createDatabase, migrateToLatest } = await conductorPackage();
  const database = await createDatabase({ dataDir: 'memory://', embedded: { optimize } });
  try {
    const { db } = database;
    await migrateToLatest(db);
    const time = async (work) => {
      const started = performance.now();
      await work();
      return Math.round(performance.now() - started);
    };
    const inserts = await time(async () => {
      for (let index = 0; index < nodeCount; index++)
        await db.insertInto('nodes').values(nodeRow(index)).execute();
    });
    const pages = await time(async () => {
      for (let round = 0; round < 5; round++) {
        for (let offset = 0; offset < nodeCount; offset += 1000) {
          await db.selectFrom('nodes').selectAll().orderBy('uuid').limit(1000).offset(offset).execute();
        }
      }
    });
    const aggregate = await time(async () => {
      for (let round = 0; round < 5; round++) {
        await sql`select provision_state, count(*), sum(length(driver_info::text || properties::text))
          from nodes group by provision_state`.execute(db);
      }
    });
    return {
      'engine code': optimize ? 'optimised (TurboFan)' : 'baseline (Liftoff, default)',
      [`${nodeCount} inserts ms`]: inserts,
      [`5 × ${nodeCount} rows in pages ms`]: pages,
      '5 aggregates ms': aggregate,
      'RSS after MiB': Math.round(process.memoryUsage().rss / 1048576),
    };
  } finally {
    await database.close();
  }
}
