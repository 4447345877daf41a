// Start time and memory of the real `ironic-conductor` process, on the embedded database (an empty data
// directory: the first start; the same directory again; memory://) and on PostgreSQL: time to "conductor
// started", peak RSS during the start (VmHWM), and RSS once idle. Linux (/proc). Each case runs --runs times
// (default 3); the table shows the median (min–max).
// Usage: node bench/start-memory.mjs [--runs=3] [--idle=3]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  cliEntry,
  conductorPackage,
  dropSchema,
  median,
  option,
  POSTGRES_URL,
  postgresSchema,
  printTable,
} from './support.mjs';

const runs = Number(option('runs', '3'));
const idleSeconds = Number(option('idle', '3'));
const { createDatabase, ENV_OVERRIDES } = await conductorPackage();

const work = await mkdtemp(join(tmpdir(), 'conductor-bench-start-'));
const schema = await postgresSchema(createDatabase);
const results = new Map();
try {
  for (let run = 0; run < runs; run++) {
    // A new directory per run: its first start is from the template, the second reopens it.
    const dataDir = join(work, `data-${run}`);
    record('embedded, empty data_dir (first start)', await measure({ data_dir: dataDir }));
    record('embedded, existing data_dir', await measure({ data_dir: dataDir }));
    record('embedded, memory://', await measure({ data_dir: 'memory://' }));
    if (schema) record('PostgreSQL', await measure({ url: POSTGRES_URL, schema }));
  }
} finally {
  if (schema) await dropSchema(createDatabase, schema);
  await rm(work, { recursive: true, force: true });
}

const range = (values, unit) => `${median(values)} ${unit} (${Math.min(...values)}–${Math.max(...values)})`;
printTable(
  [...results].map(([name, samples]) => ({
    database: name,
    'start to "conductor started"': range(
      samples.map((s) => s.startMs),
      'ms',
    ),
    'peak RSS during start': range(
      samples.map((s) => s.peakMiB),
      'MiB',
    ),
    [`RSS idle (${idleSeconds} s later)`]: range(
      samples.map((s) => s.idleMiB),
      'MiB',
    ),
  })),
);

function record(name, sample) {
  results.set(name, [...(results.get(name) ?? []), sample]);
}

/** Starts the CLI on `database`, waits for "conductor started", lets it idle, reads its memory, stops it. */
async function measure(database) {
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
  for (const variable of Object.keys(ENV_OVERRIDES)) delete env[variable];
  const started = performance.now();
  const child = spawn(process.execPath, [fileURLToPath(cliEntry), '--config', configPath], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const ready = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"msg":"conductor started"')) resolve(performance.now());
    });
    exited.then((code) => reject(new Error(`the conductor exited (${code}) before starting: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  const sample = {
    startMs: Math.round(ready - started),
    peakMiB: Math.round(kib('VmHWM') / 1024),
    idleMiB: Math.round(kib('VmRSS') / 1024),
  };
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`the conductor stopped with ${code}: ${stderr}`);
  return sample;
}
