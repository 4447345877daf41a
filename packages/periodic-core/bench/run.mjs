// Scheduler benchmark: N no-op tasks, each every S ms, for D seconds, against the built dist/.
// The parent runs each case in its own child process (so CPU and peak RSS are per case) and prints one
// JSON line per case. Usage: node bench/run.mjs [--only=<N>] [--duration=<seconds>]
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CASES = [
  { tasks: 1_000, spacingMs: 1_000 },
  { tasks: 10_000, spacingMs: 1_000 },
  { tasks: 100_000, spacingMs: 10_000 },
];
const DEFAULT_DURATION_S = 10;
/** Phases are spread over the first spacing in this many slices. */
const SLICES = 1_000;
/** Dues later than D − GRACE are not counted: a run due in the last instant may start after the stop. */
const GRACE_MS = 50;

const distEntry = new URL('../dist/index.js', import.meta.url);

if (process.argv[2] === '--child') {
  await runCase(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
} else {
  await runAll();
}

async function runAll() {
  if (!existsSync(distEntry)) {
    console.error('dist/ is missing: build first (pnpm --filter @ironic/periodic-core build)');
    process.exit(1);
  }
  const only = option('only');
  const durationS = Number(option('duration') ?? DEFAULT_DURATION_S);
  const run = promisify(execFile);
  for (const { tasks, spacingMs } of CASES) {
    if (only !== undefined && Number(only) !== tasks) continue;
    const { stdout } = await run(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', String(tasks), String(spacingMs), String(durationS)],
      { maxBuffer: 1 << 20 },
    );
    process.stdout.write(stdout);
  }
}

async function runCase(tasks, spacingMs, durationS) {
  const { PeriodicWorker, definePeriodicTask, systemClock } = await import(distEntry.href);
  // Sub-millisecond time for the measurement; timers are the system clock's own.
  const clock = {
    now: () => performance.timeOrigin + performance.now(),
    setTimer: systemClock.setTimer,
    clearTimer: systemClock.clearTimer,
  };
  const durationMs = durationS * 1_000;
  const expectedPerTask = Math.ceil(durationMs / spacingMs) + 1;
  const capacity = tasks * expectedPerTask;
  const lateness = new Float64Array(capacity);
  const idealLateness = new Float64Array(capacity);
  const firstDue = new Float64Array(tasks).fill(Number.NaN);
  const runsOf = new Uint32Array(tasks);
  let runs = 0;

  const makeTask = (index) =>
    definePeriodicTask(
      (ctx) => {
        const now = clock.now();
        const k = runsOf[index]++;
        if (k === 0) firstDue[index] = ctx.scheduledAt;
        if (runs < capacity) {
          lateness[runs] = now - ctx.scheduledAt;
          idealLateness[runs] = now - (firstDue[index] + k * spacingMs);
          runs++;
        }
      },
      { name: `task-${index}`, spacing: spacingMs, runImmediately: true },
    );
  const definitions = Array.from({ length: tasks }, (_, index) => makeTask(index));

  const idleFloor = await measureFloor(1_000);

  const cpuBefore = process.cpuUsage();
  const worker = new PeriodicWorker({ clock, maxWorkers: 8 });
  const t0 = clock.now();
  worker.start();
  const loadedFloor = startFloor();

  // Stagger the phases honestly: slice j of the tasks is added at t0 + j × S / SLICES, and each task's
  // first run is at its add time (runImmediately), so the dues spread evenly across the first spacing.
  const perSlice = Math.ceil(tasks / SLICES);
  await new Promise((resolve) => {
    let slice = 0;
    const addSlice = () => {
      const from = slice * perSlice;
      if (from >= tasks) return resolve();
      worker.add(definitions.slice(from, from + perSlice));
      slice++;
      const next = t0 + (slice * spacingMs) / SLICES;
      setTimeout(addSlice, Math.max(0, next - clock.now()));
    };
    addSlice();
  });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 + durationMs - clock.now())));
  const cutoff = t0 + durationMs - GRACE_MS;
  await worker.stop();
  const floor = loadedFloor.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;

  // Count, per task, the ideal dues (first due + k × S) up to the cutoff, and the runs among them.
  let expectedRuns = 0;
  let countedRuns = 0;
  for (let index = 0; index < tasks; index++) {
    const first = firstDue[index];
    if (Number.isNaN(first) || first > cutoff) continue;
    const due = Math.floor((cutoff - first) / spacingMs) + 1;
    expectedRuns += due;
    countedRuns += Math.min(runsOf[index], due);
  }
  const tasksThatNeverRan = firstDue.reduce((n, first) => (Number.isNaN(first) ? n + 1 : n), 0);

  const result = {
    case: `N=${tasks} S=${spacingMs}ms D=${durationS}s`,
    tasks,
    spacingMs,
    durationS,
    runs: countedRuns,
    expectedRuns,
    runsRatio: round(countedRuns / expectedRuns, 5),
    tasksThatNeverRan,
    dispatchLatenessMs: percentiles(lateness.subarray(0, runs)),
    idealCadenceLatenessMs: percentiles(idealLateness.subarray(0, runs)),
    floorSetTimeoutLatenessMs: floor,
    idleFloorSetTimeoutLatenessMs: idleFloor,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
    peakRssMiB: round(peakRssMiB, 1),
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** A bare setTimeout chain running alongside the workload: its lateness is the event loop's floor. */
function startFloor(delayMs = 7) {
  const samples = [];
  let timer;
  let expected;
  const arm = () => {
    expected = performance.now() + delayMs;
    timer = setTimeout(tick, delayMs);
  };
  const tick = () => {
    samples.push(performance.now() - expected);
    arm();
  };
  arm();
  return {
    stop() {
      clearTimeout(timer);
      return percentiles(Float64Array.from(samples));
    },
  };
}

async function measureFloor(forMs) {
  const floor = startFloor();
  await new Promise((resolve) => setTimeout(resolve, forMs));
  return floor.stop();
}

function percentiles(values) {
  if (values.length === 0) return { samples: 0, p50: null, p99: null, max: null };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    samples: sorted.length,
    p50: round(at(0.5), 3),
    p99: round(at(0.99), 3),
    max: round(sorted[sorted.length - 1], 3),
  };
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function option(name) {
  const prefix = `--${name}=`;
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return arg === undefined ? undefined : arg.slice(prefix.length);
}
