// Scheduler benchmark: @ironic/periodic-core against toad-scheduler 4 and one setInterval per task, as
// issue 15 defines it (see measure.mjs for the measure). Each scheduler × workload runs in a child process of
// its own, one at a time, against the built dist/. While a child runs, this process times a bare setTimeout
// chain: its lateness is the host's noise (other work on the machine), printed beside the figures.
//
//   node bench/run.mjs [--workload=10k,100k] [--scheduler=setInterval,toad-scheduler,periodic-core]
//                      [--rounds=1] [--duration=<s>] [--json] [--check]
//
// --scheduler may also name `bare-loop` (not a scheduler: the tasks called back to back in a plain loop,
// the floor for a burst of tasks all due at once; see schedulers.mjs);
// --rounds repeats everything (the scheduler order rotates each round); --json prints one JSON line per
// case instead of tables; --check exits 1 unless every target held in every round.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { REFERENCES, SCHEDULERS } from './schedulers.mjs';
import { percentiles, round } from './stats.mjs';
import { checkTargets, WORKLOADS } from './targets.mjs';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: Object.keys(WORKLOADS).join(',') },
    scheduler: { type: 'string', default: SCHEDULERS.join(',') },
    rounds: { type: 'string', default: '1' },
    duration: { type: 'string' },
    json: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const workloads = values.workload.split(',');
const schedulers = values.scheduler.split(',');
const rounds = Number(values.rounds);
for (const name of workloads) if (!WORKLOADS[name]) fail(`unknown workload "${name}" (10k or 100k)`);
for (const name of schedulers) {
  if (!SCHEDULERS.includes(name) && !REFERENCES.includes(name)) fail(`unknown scheduler "${name}"`);
}
if (!(rounds >= 1)) fail('--rounds must be ≥ 1');
if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  fail('dist/ is missing: build first (pnpm --filter @ironic/periodic-core build)');
}

const measure = fileURLToPath(new URL('./measure.mjs', import.meta.url));
const execFileAsync = promisify(execFile);
let allHeld = true;

log(
  `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${loadAverage()}`,
);
for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
  for (const workload of workloads) {
    const { tasks, spacingMs, durationS: defaultDuration } = WORKLOADS[workload];
    const durationS = Number(values.duration ?? defaultDuration);
    const order = rotate(schedulers, roundIndex);
    const results = {};
    for (const scheduler of order) {
      const probe = startNoiseProbe();
      const loadBefore = loadAverage();
      const { stdout } = await execFileAsync(
        process.execPath,
        [
          measure,
          `--scheduler=${scheduler}`,
          `--tasks=${tasks}`,
          `--spacing=${spacingMs}`,
          `--duration=${durationS}`,
        ],
        { maxBuffer: 1 << 20 },
      );
      const result = JSON.parse(stdout);
      result.round = roundIndex + 1;
      result.hostNoiseMs = probe.stop();
      result.loadAverage = loadBefore;
      results[scheduler] = result;
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    const checks = values.duration === undefined ? checkTargets(workload, results) : [];
    if (checks.some((c) => !c.ok)) allHeld = false;
    if (!values.json) printRound(roundIndex + 1, results, schedulers, checks);
  }
}
if (values.check && !allHeld) process.exit(1);

function printRound(roundNumber, results, schedulerOrder, checks) {
  const first = Object.values(results)[0];
  log(`\n## ${first.workload} — round ${roundNumber}`);
  const rows = [
    [
      'scheduler',
      'runs / expected',
      'lateness p50 / p99 / max',
      'earliest',
      'first-run delay max',
      'CPU',
      'peak RSS',
      'GC pauses (max)',
      'host noise p99',
    ],
  ];
  for (const name of schedulerOrder) {
    const r = results[name];
    if (!r) continue;
    rows.push([
      name,
      `${r.runs.toLocaleString('en-US')} / ${r.expectedRuns.toLocaleString('en-US')} (${(r.runsRatio * 100).toFixed(2)} %)`,
      `${ms(r.latenessMs.p50)} / ${ms(r.latenessMs.p99)} / ${ms(r.latenessMs.max)}`,
      ms(r.earliestMs),
      ms(r.firstRunDelayMs.max),
      `${r.cpuSeconds.toFixed(2)} s`,
      `${r.peakRssMiB.toFixed(0)} MiB`,
      `${r.gcPauseMs.count} (${ms(r.gcPauseMs.max)})`,
      `${ms(r.hostNoiseMs.p99)} (load ${r.loadAverage})`,
    ]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [index, row] of rows.entries()) {
    log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
    if (index === 0) log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
  for (const { label, ok } of checks) log(`${ok ? '✓' : '✗'} ${label}`);
}

/** Lateness of a bare 5 ms setTimeout chain in this (otherwise idle) process: the machine's noise. */
function startNoiseProbe(delayMs = 5) {
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

function rotate(list, by) {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

function ms(value) {
  return value === null || value === undefined ? '–' : `${round(value, 2)} ms`;
}

function loadAverage() {
  return os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
