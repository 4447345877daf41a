import type { Logger } from 'pino';

/** A duration: milliseconds as a number, or a string such as `"250ms"`, `"30s"`, `"5m"`, `"1h"`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h'}` | string;

/**
 * When the next run falls due:
 * - `last-started`: the previous run's start + spacing (a steady cadence);
 * - `last-finished`: the previous run's finish + spacing (a pause between runs);
 * - `aligned`: the next multiple of spacing, counted from the worker's start, after the run finished.
 */
export type SchedulingStrategy = 'last-started' | 'last-finished' | 'aligned';

/** Options of `@periodic(...)` and `definePeriodicTask(...)`. */
export interface PeriodicOptions {
  /** How often the task runs. Required; must be > 0. */
  spacing: Duration;
  /** The task's name, unique in a worker. Default: `ClassName.methodName` (or the function's name). */
  name?: string;
  /** A disabled task is listed in `stats()` but never runs. Default true. */
  enabled?: boolean;
  /** Run once when the worker starts instead of one spacing later. Default false. */
  runImmediately?: boolean;
  /** Run on the shared pool of `maxWorkers` (true) or on a serial lane of its own (false). Default true. */
  parallel?: boolean;
  /** Delay each run by a random amount up to `jitter × spacing`; a fraction in [0, 1]. Default 0. */
  jitter?: number;
  /** How the next due time is computed. Default `"last-started"`. */
  strategy?: SchedulingStrategy;
  /** Abort the run's signal after this long and count a timeout. No timeout by default. */
  timeout?: Duration;
}

/** Options after validation: durations in milliseconds, defaults applied. */
export interface ResolvedPeriodicOptions {
  readonly spacing: number;
  readonly name: string | undefined;
  readonly enabled: boolean;
  readonly runImmediately: boolean;
  readonly parallel: boolean;
  readonly jitter: number;
  readonly strategy: SchedulingStrategy;
  readonly timeout: number | undefined;
}

/** What a task is called with on each run. */
export interface TaskContext {
  /** Aborted when the run times out or the worker stops past its deadline. */
  readonly signal: AbortSignal;
  /** The task's name. */
  readonly name: string;
  /** When the run fell due (epoch ms, from the worker's clock); the actual start may be later. */
  readonly scheduledAt: number;
  /** A child logger bound to the task's name. */
  readonly logger: Logger;
}

/** A task's body: sync or async. Throwing `NeverAgain` removes the task for good. */
export type TaskFunction = (context: TaskContext) => unknown;

/** A periodic task ready to be added to a worker: a name, its options and the function to run. */
export interface PeriodicTask {
  readonly name: string;
  readonly options: ResolvedPeriodicOptions & { readonly name: string };
  readonly run: TaskFunction;
}

/** A handle on a timer set by a `Clock`. */
export type TimerHandle = unknown;

/**
 * The source of time and timers. The default uses `Date.now()` and `setTimeout`; tests inject a fake one.
 * `setTimer` may be asked for any delay, including more than 2^31−1 ms.
 */
export interface Clock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Options of `new PeriodicWorker(...)`. */
export interface PeriodicWorkerOptions {
  /** How many `parallel` tasks may run at once. Default 8 (Ironic's `periodic_max_workers`). */
  maxWorkers?: number;
  /** Where runs are logged. Default: a silent pino logger. */
  logger?: Logger;
  /** The clock. Default: the system clock. */
  clock?: Clock;
  /** The source of randomness for jitter, returning [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Options of `worker.stop(...)`. */
export interface StopOptions {
  /** How long to wait for in-flight runs before aborting their signals (ms or a duration). Default: forever. */
  timeout?: Duration;
}

/** One task's figures, as `worker.stats()` gives them. Times are epoch ms from the worker's clock. */
export interface TaskStats {
  name: string;
  spacing: number;
  enabled: boolean;
  parallel: boolean;
  running: boolean;
  runs: number;
  successes: number;
  failures: number;
  skipped: number;
  timeouts: number;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastDurationMs: number | null;
  averageDurationMs: number | null;
  lastError: string | null;
  nextRunAt: number | null;
}

/** How a run ended: `removed` means the task threw `NeverAgain` (or was removed before its run started). */
export type RunStatus = 'succeeded' | 'failed' | 'timed-out' | 'skipped' | 'removed';

/** What `worker.runNow(name)` resolves to. */
export interface RunOutcome {
  readonly status: RunStatus;
  /** What the run threw, for `failed` (and for `timed-out` runs that rejected). */
  readonly error?: unknown;
  /** How long the run took, when it ran. */
  readonly durationMs?: number;
  /** Why a run was `skipped`: the previous run was still running, the task is disabled, or the worker stopped. */
  readonly reason?: 'running' | 'disabled' | 'stopped';
}

/** A worker's life: `idle` (not started), `running`, `stopping` (waiting for runs in flight), `stopped`. */
export type WorkerState = 'idle' | 'running' | 'stopping' | 'stopped';

/** The message published on the `ironic:periodic:run:*` diagnostics channels. */
export interface RunMessage {
  /** The task's name. */
  readonly name: string;
  /** When the run fell due (epoch ms, worker clock). */
  readonly scheduledAt: number;
  /** When it started (for `skip`: when it was skipped). */
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  /** What the run threw (`error` channel, and `end` for a failed run). */
  readonly error?: unknown;
  /** `started` on `start`; the outcome on `end`, `error` and `skip`. */
  readonly status: 'started' | RunStatus;
}
