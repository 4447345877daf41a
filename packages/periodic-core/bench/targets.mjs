// The targets of issue 15, checked against one round (all three schedulers of a workload measured in the
// same `pnpm bench` run). Each check is a line the report prints with ✓ or ✗.

export const WORKLOADS = {
  '10k': { tasks: 10_000, spacingMs: 1_000, durationS: 10 },
  '100k': { tasks: 100_000, spacingMs: 10_000, durationS: 30 },
};

/** The checks for periodic-core in one workload, given the three results of the same round by scheduler. */
export function checkTargets(workload, bySchedulerName) {
  const core = bySchedulerName['periodic-core'];
  if (!core) return [];
  const peers = ['setInterval', 'toad-scheduler'].map((name) => bySchedulerName[name]).filter(Boolean);
  const checks = [];
  const check = (label, ok) => checks.push({ label, ok: Boolean(ok) });
  const p99 = core.latenessMs.p99;
  check('no run early by more than 1 ms', core.earliestMs >= -1);
  if (workload === '10k') {
    check(`≥ 99.9 % of expected runs (${pct(core.runsRatio)})`, core.runsRatio >= 0.999);
    check(`p99 lateness ≤ 5 ms (${p99} ms)`, p99 <= 5);
    check(
      `every first run within 30 ms of start() (${core.firstRunDelayMs.max} ms)`,
      core.firstRunDelayMs.max <= 30,
    );
    check(`CPU ≤ 0.5 s (${core.cpuSeconds} s)`, core.cpuSeconds <= 0.5);
  } else if (workload === '100k') {
    check(`≥ 99.9 % of expected runs (${pct(core.runsRatio)})`, core.runsRatio >= 0.999);
    check(`p99 lateness ≤ 10 ms (${p99} ms)`, p99 <= 10);
    check(
      `every first run within 150 ms of start() (${core.firstRunDelayMs.max} ms)`,
      core.firstRunDelayMs.max <= 150,
    );
    check(`peak RSS ≤ 150 MiB (${core.peakRssMiB} MiB)`, core.peakRssMiB <= 150);
    const toad = bySchedulerName['toad-scheduler'];
    if (toad)
      check(
        `CPU ≤ toad-scheduler's (${core.cpuSeconds} s vs ${toad.cpuSeconds} s)`,
        core.cpuSeconds <= toad.cpuSeconds,
      );
  }
  for (const peer of peers) {
    check(
      `p99 below ${peer.scheduler}'s (${p99} ms vs ${peer.latenessMs.p99} ms)`,
      p99 < peer.latenessMs.p99,
    );
  }
  return checks;
}

function pct(ratio) {
  return `${(ratio * 100).toFixed(2)} %`;
}
