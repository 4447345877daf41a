import { Semaphore } from 'async-mutex';
import type { Logger } from 'pino';
import type { QueueItem } from './priority-queue.js';
import type { TimerEntry } from './timer-queue.js';
import type { PeriodicTask, ResolvedPeriodicOptions, RunOutcome, TaskStats } from './types.js';

/** Where a task's next run is: nowhere yet, waiting on the worker's timer, or due and waiting for a lane. */
export type TaskPlace = 'none' | 'timer' | 'queue';

/** A task held by a worker: its schedule, its lock and its figures. */
export class TaskState implements QueueItem, TimerEntry {
  readonly kind = 'due' as const;
  /** Its slot in a lane's queue (while `place` is `queue`). */
  heapIndex = -1;
  /** Its slot in the worker's timer queue (while `place` is `timer`). */
  slot = -1;
  /** When the next run falls due (jitter included): the key in the timer queue and in a lane's queue. */
  at = 0;
  /** Breaks ties between equal `at`s in a lane's queue: first come, first served. */
  seq = 0;
  /** The cadence point of the next run, before jitter. */
  nominalAt = 0;
  place: TaskPlace = 'none';
  removed = false;
  /** Set while the task's function is being called (the synchronous part of a run). */
  calling = false;
  /**
   * Held while a run that returned a promise is in flight, until the promise settles: with `calling`, never
   * two runs of one task at once. A semaphore of one is a mutex (async-mutex's `Mutex` wraps it in an async
   * function, several promises per run). Made on the first asynchronous run: a task that only ever runs
   * synchronously has nothing to hold across a turn of the event loop.
   */
  #lock: Semaphore | undefined;
  /** `runNow` callers waiting for the next run's outcome. */
  waiters: Array<(outcome: RunOutcome) => void> | undefined = undefined;

  runs = 0;
  successes = 0;
  failures = 0;
  skipped = 0;
  timeouts = 0;
  // NaN stands for "never" (null in stats): a number field keeps its double in place on every run, where
  // a field that once held null would box a new number each time.
  lastStartedAt = Number.NaN;
  lastFinishedAt = Number.NaN;
  lastDurationMs = Number.NaN;
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
    return this.calling || (this.#lock !== undefined && this.#lock.isLocked());
  }

  /** Takes the lock for a run that went asynchronous (it is free: callers checked `running`). */
  holdAcrossRun(): void {
    this.#lock ??= new Semaphore(1);
    // The semaphore is free, so acquire() takes it synchronously.
    void this.#lock.acquire();
  }

  /** Releases the lock once the asynchronous run has settled. */
  releaseAfterRun(): void {
    this.#lock?.release();
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
      lastStartedAt: orNull(this.lastStartedAt),
      lastFinishedAt: orNull(this.lastFinishedAt),
      lastDurationMs: orNull(this.lastDurationMs),
      averageDurationMs: this.runs > 0 ? this.totalDurationMs / this.runs : null,
      lastError: this.lastError,
      nextRunAt: this.place === 'none' ? null : this.at,
    };
  }
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
