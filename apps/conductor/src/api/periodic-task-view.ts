import type { SweepCounters } from '@ironic/driver-base';
import type { TaskStats } from '@ironic/periodic-core';
import type { PowerRecoveryFigures } from '../power/power-failure-recovery.js';
import type { PowerSyncFigures, PowerSyncSweep } from '../power/power-sync-stats.js';
import { maskUrlCredentials } from '../secrets/url-credentials.js';
import { formatTimestamp } from '../store/node-row.js';

/**
 * One periodic task's figures as the worker keeps them, with a sweep's counters for per-node tasks and
 * the power tasks' own.
 */
export type PeriodicTaskFigures = TaskStats & {
  readonly sweep?: Readonly<SweepCounters>;
  readonly drivers?: readonly string[];
  readonly powerSync?: Readonly<PowerSyncFigures>;
  readonly powerFailureRecovery?: Readonly<PowerRecoveryFigures>;
};

function time(epochMs: number | null): string | null {
  return epochMs === null ? null : formatTimestamp(new Date(epochMs));
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/**
 * A periodic task as `GET /v1/periodic-tasks` shows it, in the API's conventions: snake_case keys,
 * ISO 8601 times, durations and spacings in seconds.
 */
export function periodicTaskView(figures: PeriodicTaskFigures): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: figures.name,
    spacing: seconds(figures.spacing),
    enabled: figures.enabled,
    parallel: figures.parallel,
    running: figures.running,
    runs: figures.runs,
    successes: figures.successes,
    failures: figures.failures,
    skipped: figures.skipped,
    timeouts: figures.timeouts,
    last_started_at: time(figures.lastStartedAt),
    last_finished_at: time(figures.lastFinishedAt),
    last_duration: seconds(figures.lastDurationMs),
    average_duration: seconds(figures.averageDurationMs),
    last_error: figures.lastError === null ? null : maskUrlCredentials(figures.lastError),
    next_run_at: time(figures.nextRunAt),
  };
  if (figures.drivers) view.drivers = [...figures.drivers];
  if (figures.sweep) {
    const sweep = figures.sweep;
    view.sweep = {
      runs: sweep.runs,
      visited: sweep.visited,
      handled: sweep.handled,
      skipped_locked: sweep.skippedLocked,
      skipped_not_found: sweep.skippedNotFound,
      errors: sweep.errors,
      stopped: sweep.stopped,
    };
  }
  if (figures.powerSync) {
    const { sweeps, lastSweep, totals } = figures.powerSync;
    view.power_sync = {
      sweeps,
      last_sweep: lastSweep ? powerSweepView(lastSweep) : null,
      totals: { ...totals },
    };
  }
  if (figures.powerFailureRecovery) view.power_failure_recovery = { ...figures.powerFailureRecovery };
  return view;
}

function powerSweepView(sweep: Readonly<PowerSyncSweep>): Record<string, unknown> {
  return {
    started_at: time(sweep.startedAt),
    finished_at: time(sweep.finishedAt),
    duration: seconds(sweep.durationMs),
    checked: sweep.checked,
    changed: sweep.changed,
    failed: sweep.failed,
    maintenance: sweep.maintenance,
  };
}
