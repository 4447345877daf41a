// The conductor at scale (issue 19): node sweeps that cost pages, not rows, and an API that never stalls
// behind them. Each case runs in a process of its own (bench/scale/case.mjs) and prints one JSON line of
// figures with the targets it is held to and whether they held:
//
//   sweep-noop-postgres        a no-op sweep over 100,000 nodes on PostgreSQL: wall ≤ 2 s, CPU ≤ 1.5 s
//                              (median of --runs); the rows two conductors' sweeps read add up to N once
//   sweep-noop-embedded        the same over 10,000 nodes on the embedded database: wall ≤ 1 s
//   sweep-handler-postgres     a handler awaiting 20 ms at concurrency 32 over 100,000 nodes: ≤ 1.05 × the
//                              floor N × 20 ms / 32
//   api-under-sweeps-embedded  a conductor on the embedded database with 10,000 nodes and no-op sweeps back
//                              to back: GET /v1/nodes/{uuid} p99 ≤ 50 ms and GET /v1/nodes?limit=1000
//                              p99 ≤ 500 ms at concurrency 16 (load from another process); heartbeats on
//                              time (no gap between two beats above 1.5 × the interval)
//   api-list-postgres          GET /v1/nodes?limit=1000 (1.82's summary fields) on PostgreSQL at
//                              concurrency 16 over 10,000 nodes: ≥ 250 requests/s
//   memory-embedded            the real conductor process on the embedded database: idle RSS ≤ 200 MiB,
//                              peak RSS ≤ 400 MiB on a first start and on a restart
//
//   node bench/scale.mjs [--case=a,b] [--runs=3] [--duration=15] [--check]
//
// PostgreSQL: DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test. --check exits 1 unless every
// target held. Figures depend on the machine and what else runs on it: run it more than once.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    case: { type: 'string' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '15' },
    check: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const durationS = Number(values.duration);

/** Each case: its options, and its targets as [name, figure, holds]. */
const CASES = {
  'sweep-noop-postgres': {
    options: { nodes: 100_000, runs },
    targets: (f) => [
      ['wall ≤ 2000 ms', f.wallMs, f.wallMs <= 2000],
      ['CPU ≤ 1500 ms', f.cpuMs, f.cpuMs <= 1500],
      ['rows read by two conductors = N', f.rowsReadByTwoConductors, f.rowsReadByTwoConductors === f.nodes],
    ],
  },
  'sweep-noop-embedded': {
    options: { nodes: 10_000, runs },
    targets: (f) => [['wall ≤ 1000 ms', f.wallMs, f.wallMs <= 1000]],
  },
  'sweep-handler-postgres': {
    options: { nodes: 100_000, handlerMs: 20, concurrency: 32 },
    targets: (f) => [['≤ 1.05 × floor', f.ratio, f.ratio <= 1.05]],
  },
  'api-under-sweeps-embedded': {
    options: { nodes: 10_000, concurrency: 16, durationS, heartbeatS: 2 },
    targets: (f) => [
      [
        'GET /v1/nodes/{uuid} p99 ≤ 50 ms',
        f['GET /v1/nodes/{uuid}'].p99,
        f['GET /v1/nodes/{uuid}'].p99 <= 50,
      ],
      [
        'GET /v1/nodes?limit=1000 p99 ≤ 500 ms',
        f['GET /v1/nodes?limit=1000'].p99,
        f['GET /v1/nodes?limit=1000'].p99 <= 500,
      ],
      ['sweeps ran during the load', f.sweepsDuringLoad, f.sweepsDuringLoad > 0],
      [
        'heartbeat gap ≤ 1.5 × interval',
        f.heartbeat.maxGapMs,
        f.heartbeat.maxGapMs !== null && f.heartbeat.maxGapMs <= 1.5 * f.heartbeat.intervalMs,
      ],
    ],
  },
  'api-list-postgres': {
    options: { nodes: 10_000, concurrency: 16, durationS },
    targets: (f) => [
      [
        'GET /v1/nodes?limit=1000 ≥ 250 req/s',
        f['GET /v1/nodes?limit=1000'].perSecond,
        f['GET /v1/nodes?limit=1000'].perSecond >= 250,
      ],
    ],
  },
  'memory-embedded': {
    options: { idleS: 5 },
    targets: (f) => [
      ['idle RSS ≤ 200 MiB', f.idleMiB, f.idleMiB <= 200],
      ['peak RSS ≤ 400 MiB', f.peakMiB, f.peakMiB <= 400],
    ],
  },
};

const names = values.case ? values.case.split(',') : Object.keys(CASES);
for (const name of names) if (!CASES[name]) fail(`unknown case "${name}" (${Object.keys(CASES).join(', ')})`);
if (!(runs >= 1)) fail('--runs must be ≥ 1');
if (!(durationS > 0)) fail('--duration must be > 0');

console.error(
  `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
let allHeld = true;
for (const name of names) {
  const { options, targets } = CASES[name];
  console.error(`# ${name}`);
  const figures = await runCase(name, options);
  const held = figures.skipped
    ? {}
    : Object.fromEntries(targets(figures).map(([target, figure, holds]) => [target, { figure, holds }]));
  if (Object.values(held).some((target) => !target.holds)) allHeld = false;
  process.stdout.write(`${JSON.stringify({ ...figures, held })}\n`);
}
if (values.check && !allHeld) {
  console.error('some targets did not hold');
  process.exit(1);
}

function runCase(name, options) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [fileURLToPath(new URL('scale/case.mjs', import.meta.url)), name, JSON.stringify(options)],
      { maxBuffer: 1 << 22 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`case ${name} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      },
    );
  });
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
