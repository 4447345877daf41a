// One scheduler, one workload, in this process alone (run by bench/run.mjs, one child process per case, so
// CPU and peak RSS are this scheduler's). Prints one JSON line.
//
//   node bench/measure.mjs --scheduler=<name> --tasks=<N> --spacing=<S ms> --duration=<D s>
//
// N no-op tasks, each every S ms, all handed over at once and due at once, run for D seconds. Each task's
// anchor is the moment it was handed over (periodic-core: the call to start()). Run k of a task started at
// t_k (performance.now(), read first thing in the task):
//   first-run delay = t_0 − anchor;  lateness of run k ≥ 1 = t_k − (anchor + k × S).
// Runs due after D − GRACE are neither expected nor measured (the stop may come before them).
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadScheduler } from './schedulers.mjs';
import { percentiles, round } from './stats.mjs';

const GRACE_MS = 50;

const { values } = parseArgs({
  options: {
    scheduler: { type: 'string' },
    tasks: { type: 'string' },
    spacing: { type: 'string' },
    duration: { type: 'string' },
  },
});
const schedulerName = values.scheduler;
const tasks = Number(values.tasks);
const spacingMs = Number(values.spacing);
const durationS = Number(values.duration);
if (!schedulerName || !(tasks > 0) || !(spacingMs > 0) || !(durationS > 0)) {
  console.error('usage: node bench/measure.mjs --scheduler=<name> --tasks=<N> --spacing=<ms> --duration=<s>');
  process.exit(2);
}

const scheduler = await loadScheduler(schedulerName);

// What every task does on every run, whatever the scheduler: read the time, count the run, keep its start.
const slots = Math.floor((durationS * 1_000) / spacingMs) + 2;
const starts = new Float64Array(tasks * slots);
const runs = new Uint32Array(tasks);
const anchors = new Float64Array(tasks);
const record = (index) => {
  const t = performance.now();
  const k = runs[index]++;
  if (k < slots) starts[index * slots + k] = t;
};
const taskFunctions = Array.from({ length: tasks }, (_, index) => () => record(index));

const gcPauses = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
});
gcObserver.observe({ entryTypes: ['gc'] });

const rssBeforeMiB = process.resourceUsage().maxRSS / 1024;
const cpuBefore = process.cpuUsage();
const prepared = scheduler.prepare(taskFunctions, spacingMs);
prepared.handOver(anchors);
const firstAnchor = anchors[0];
await new Promise((resolve) =>
  setTimeout(resolve, Math.max(0, firstAnchor + durationS * 1_000 - performance.now())),
);
await prepared.stop();
const cpu = process.cpuUsage(cpuBefore);
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
await new Promise((resolve) => setImmediate(resolve));
gcObserver.disconnect();

const windowEnd = firstAnchor + durationS * 1_000 - GRACE_MS;
const handOverSpanMs = anchors[tasks - 1] - firstAnchor;
let expectedRuns = 0;
let countedRuns = 0;
let tasksThatNeverRan = 0;
let measured = 0;
const firstRunDelay = new Float64Array(tasks);
const lateness = new Float64Array(tasks * slots);
for (let index = 0; index < tasks; index++) {
  const anchor = anchors[index];
  const expected = anchor > windowEnd ? 0 : Math.min(slots, Math.floor((windowEnd - anchor) / spacingMs) + 1);
  const ran = Math.min(runs[index], expected);
  expectedRuns += expected;
  countedRuns += ran;
  if (runs[index] === 0) {
    tasksThatNeverRan++;
    firstRunDelay[index] = Number.POSITIVE_INFINITY;
    continue;
  }
  firstRunDelay[index] = starts[index * slots] - anchor;
  for (let k = 1; k < ran; k++) lateness[measured++] = starts[index * slots + k] - (anchor + k * spacingMs);
}
const late = percentiles(lateness.subarray(0, measured));

const result = {
  scheduler: schedulerName,
  workload: `${tasks.toLocaleString('en-US')} every ${spacingMs / 1_000} s for ${durationS} s`,
  tasks,
  spacingMs,
  durationS,
  runs: countedRuns,
  expectedRuns,
  runsRatio: round(countedRuns / expectedRuns, 5),
  tasksThatNeverRan,
  latenessMs: late,
  earliestMs: late.min,
  firstRunDelayMs: percentiles(firstRunDelay),
  handOverSpanMs: round(handOverSpanMs, 3),
  cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
  peakRssMiB: round(peakRssMiB, 1),
  harnessRssMiB: round(rssBeforeMiB, 1),
  gcPauseMs: {
    count: gcPauses.length,
    total: round(
      gcPauses.reduce((a, b) => a + b, 0),
      1,
    ),
    max: round(Math.max(0, ...gcPauses), 2),
  },
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
