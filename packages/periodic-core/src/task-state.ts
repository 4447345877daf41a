import { Semaphore } from 'async-mutex';
import type { Logger } from 'pino';
import type { QueueItem } from './priority-queue.js';
import type { PeriodicTask, ResolvedPeriodicOptions, RunOutcome, TaskStats } from './types.js';

/** Where a task's next run is: nowhere yet, waiting on the worker's timer, or due and waiting for a lane. */
export type TaskPlace = 'none' | 'timer' | 'queue';

/** A task held by a worker: its schedule, its lock and its figures. */
export class TaskState implements QueueItem {
  readonly kind = 'due' as const;
  heapIndex = -1;
  /** When the next run falls due (jitter included): the key in the timer heap and in a lane's queue. */
  at = 0;
  /** Breaks ties between equal `at`s: first come, first served. */
  seq = 0;
  /** The cadence point of the next run, before jitter. */
  nominalAt = 0;
  place: TaskPlace = 'none';
  removed = false;
  /**
   * Held from the start of a run until its promise settles: never two runs of one task at once.
   * A semaphore of one is a mutex; async-mutex's `Mutex` wraps it in an async function, which costs a few
   * microseconds and several promises per run on the hot path.
   */
  readonly lock = new Semaphore(1);
  /** `runNow` callers waiting for the next run's outcome. */
  waiters: Array<(outcome: RunOutcome) => void> | undefined;

  runs = 0;
  successes = 0;
  failures = 0;
  skipped = 0;
  timeouts = 0;
  lastStartedAt: number | null = null;
  lastFinishedAt: number | null = null;
  lastDurationMs: number | null = null;
  totalDurationMs = 0;
  lastError: string | null = null;

  readonly name: string;
  readonly options: ResolvedPeriodicOptions & { readonly name: string };
  readonly run: PeriodicTask['run'];
  readonly #parentLogger: Logger;
  #logger: Logger | undefined;

  constructor(
    task: PeriodicTask,
    options: ResolvedPeriodicOptions & { readonly name: string },
    logger: Logger,
  ) {
    this.name = task.name;
    this.options = options;
    this.run = task.run;
    this.#parentLogger = logger;
  }

  /** The task's child logger, made on first use and kept (never one per run). */
  get logger(): Logger {
    this.#logger ??= this.#parentLogger.child({ task: this.name });
    return this.#logger;
  }

  get running(): boolean {
    return this.lock.isLocked();
  }

  toStats(): TaskStats {
    return {
      name: this.name,
      spacing: this.options.spacing,
      enabled: this.options.enabled,
      parallel: this.options.parallel,
      running: this.running,
      runs: this.runs,
      successes: this.successes,
      failures: this.failures,
      skipped: this.skipped,
      timeouts: this.timeouts,
      lastStartedAt: this.lastStartedAt,
      lastFinishedAt: this.lastFinishedAt,
      lastDurationMs: this.lastDurationMs,
      averageDurationMs: this.runs > 0 ? this.totalDurationMs / this.runs : null,
      lastError: this.lastError,
      nextRunAt: this.place === 'none' ? null : this.at,
    };
  }
}
