import { Semaphore } from 'async-mutex';
import type { Logger } from 'pino';
import type { BurstTimed } from './burst-clock.js';
import type { QueueItem } from './priority-queue.js';
import type { TaskProfile } from './task-profile.js';
import type { TimerEntry } from './timer-queue.js';
import type { PeriodicTask, RunOutcome, SchedulingStrategy, TaskStats } from './types.js';

/** Where a task's next run is: nowhere yet, waiting on the worker's timer, or due and waiting for a lane. */
export type TaskPlace = 'none' | 'timer' | 'queue';

/** A task held by a worker: its schedule, its lock and its figures. */
export class TaskState implements QueueItem, TimerEntry, BurstTimed {
  /** Its slot in a lane's queue (while `place` is `queue`). */
  heapIndex = -1;
  /** Its slot in the worker's timer queue (while `place` is `timer`). */
  slot = -1;
  /**
   * When the next run falls due (jitter included): the key in the timer queue and in a lane's queue.
   * It starts as a double, as do all timestamps here: a field that starts as a small integer changes its
   * representation on the first timestamp written, and then every task's object is migrated, at `start()`.
   */
  at = Number.NaN;
  /** Breaks ties between equal `at`s in a lane's queue: first come, first served. */
  seq = 0;
  /** The cadence point of the next run, before jitter. */
  nominalAt = Number.NaN;
  place: TaskPlace = 'none';
  removed = false;
  /** Its runs are timed with clock readings of their own (see `BurstClock`). */
  timedAlone = false;
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
  // Durations are differences of clock readings, and those come out of the interpreter as doubles. A field
  // that starts as a small integer and later takes a double changes representation, which deprecates the
  // map of every task made before: each one is then migrated on its next access, and optimised dispatch
  // code deoptimises over and over during the first burst (a 100,000-task start ran ~5× slower). -0 is not
  // a small integer, so these start as doubles, like the timestamps.
  /** The last finished run's duration (meaningless while `runs` is 0). */
  lastDurationMs = -0;
  totalDurationMs = -0;
  lastError: string | null = null;

  readonly name: string;
  readonly run: PeriodicTask['run'];
  /** Its options, shared with every task of the worker that has the same ones. */
  readonly profile: TaskProfile;
  #logger: Logger | undefined;

  constructor(task: PeriodicTask, profile: TaskProfile) {
    this.name = task.name;
    this.run = task.run;
    this.profile = profile;
  }

  /** A timer-queue entry of the worker: a due run (on the prototype, not in each of 100,000 tasks). */
  get kind(): 'due' {
    return 'due';
  }

  get enabled(): boolean {
    return this.profile.enabled;
  }

  get runImmediately(): boolean {
    return this.profile.runImmediately;
  }

  get spacing(): number {
    return this.profile.spacing;
  }

  get strategy(): SchedulingStrategy {
    return this.profile.strategy;
  }

  get parallel(): boolean {
    return this.profile.parallel;
  }

  get jitter(): number {
    return this.profile.jitter;
  }

  get timeout(): number | undefined {
    return this.profile.timeout;
  }

  /** The task's child logger, made on first use and kept (never one per run). */
  get logger(): Logger {
    this.#logger ??= this.profile.logger.child({ task: this.name });
    return this.#logger;
  }

  get running(): boolean {
    return this.calling || this.#lock?.isLocked() === true;
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
      spacing: this.spacing,
      enabled: this.enabled,
      parallel: this.parallel,
      running: this.running,
      runs: this.runs,
      successes: this.successes,
      failures: this.failures,
      skipped: this.skipped,
      timeouts: this.timeouts,
      lastStartedAt: orNull(this.lastStartedAt),
      lastFinishedAt: orNull(this.lastFinishedAt),
      lastDurationMs: this.runs > 0 ? this.lastDurationMs : null,
      averageDurationMs: this.runs > 0 ? this.totalDurationMs / this.runs : null,
      lastError: this.lastError,
      nextRunAt: this.place === 'none' ? null : this.at,
    };
  }
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
