import { Semaphore } from 'async-mutex';
import type { Logger } from 'pino';
import type { BurstTimed } from './burst-clock.js';
import type { QueueItem } from './priority-queue.js';
import type { TaskProfile } from './task-profile.js';
import {
  AT,
  LAST_DURATION_MS,
  LAST_FINISHED_AT,
  LAST_STARTED_AT,
  NOMINAL_AT,
  TOTAL_DURATION_MS,
} from './task-times.js';
import type { TimerEntry } from './timer-queue.js';
import type { PeriodicTask, RunOutcome, SchedulingStrategy, TaskStats } from './types.js';

/** Where a task's next run is: nowhere yet, waiting on the worker's timer, or due and waiting for a lane. */
export type TaskPlace = 'none' | 'timer' | 'queue';

/**
 * What a task needs only sometimes — a place in a lane's queue, its lock, `runNow` callers, failure
 * figures, its logger, whether it was removed — made on first use: a worker of 100,000 quick synchronous tasks
 * keeps none of them.
 */
class TaskExtras {
  heapIndex = -1;
  seq = 0;
  lock: Semaphore | undefined = undefined;
  waiters: Array<(outcome: RunOutcome) => void> | undefined = undefined;
  failures = 0;
  timeouts = 0;
  lastError: string | null = null;
  logger: Logger | undefined = undefined;
  removed = false;
}

/** A task held by a worker: its schedule, its lock and its figures. */
export class TaskState implements QueueItem, TimerEntry, BurstTimed {
  /** Its slot in the worker's timer queue (while `place` is `timer`). */
  slot = -1;
  place: TaskPlace = 'none';
  /**
   * Its runs are timed with clock readings of their own (see `BurstClock`). A field, not an extra: under
   * load any group of runs may be slow, and marking one would make extras for all its tasks.
   */
  timedAlone = false;
  /** Set while the task's function is being called (the synchronous part of a run). */
  calling = false;
  runs = 0;
  successes = 0;
  skipped = 0;
  #extras: TaskExtras | undefined = undefined;

  readonly name: string;
  readonly run: PeriodicTask['run'];
  /** Its options, shared with every task of the worker that has the same ones. */
  readonly profile: TaskProfile;
  /**
   * Where its row of times starts in `profile.times.data` (-1 once given back). Times that are unset are
   * NaN ("never", null in stats). The worker's hot path reads and writes the row directly.
   */
  row: number;

  constructor(task: PeriodicTask, profile: TaskProfile) {
    this.name = task.name;
    this.run = task.run;
    this.profile = profile;
    this.row = profile.times.take();
  }

  /** When the next run falls due (jitter included): the key in the timer queue and in a lane's queue. */
  get at(): number {
    return this.profile.times.data[this.row + AT]!;
  }

  set at(value: number) {
    this.profile.times.data[this.row + AT] = value;
  }

  /** The cadence point of the next run, before jitter. */
  get nominalAt(): number {
    return this.profile.times.data[this.row + NOMINAL_AT]!;
  }

  set nominalAt(value: number) {
    this.profile.times.data[this.row + NOMINAL_AT] = value;
  }

  get lastStartedAt(): number {
    return this.profile.times.data[this.row + LAST_STARTED_AT]!;
  }

  set lastStartedAt(value: number) {
    this.profile.times.data[this.row + LAST_STARTED_AT] = value;
  }

  get lastFinishedAt(): number {
    return this.profile.times.data[this.row + LAST_FINISHED_AT]!;
  }

  set lastFinishedAt(value: number) {
    this.profile.times.data[this.row + LAST_FINISHED_AT] = value;
  }

  /** The last finished run's duration (meaningless while `runs` is 0). */
  get lastDurationMs(): number {
    return this.profile.times.data[this.row + LAST_DURATION_MS]!;
  }

  /** Books a finished run's times. */
  finished(finishedAt: number, durationMs: number): void {
    const data = this.profile.times.data;
    const row = this.row;
    data[row + LAST_FINISHED_AT] = finishedAt;
    data[row + LAST_DURATION_MS] = durationMs;
    data[row + TOTAL_DURATION_MS] = data[row + TOTAL_DURATION_MS]! + durationMs;
  }

  get totalDurationMs(): number {
    return this.profile.times.data[this.row + TOTAL_DURATION_MS]!;
  }

  /** Gives its row of times back, once it is out of the worker and no run of it is left to book. */
  giveBackTimes(): void {
    if (this.row < 0) return;
    this.profile.times.give(this.row);
    this.row = -1;
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

  get #extra(): TaskExtras {
    this.#extras ??= new TaskExtras();
    return this.#extras;
  }

  /** Taken out of the worker (for good). */
  get removed(): boolean {
    return this.#extras?.removed === true;
  }

  set removed(value: boolean) {
    if (value || this.#extras) this.#extra.removed = value;
  }

  /** Its slot in a lane's queue (while `place` is `queue`). */
  get heapIndex(): number {
    return this.#extras?.heapIndex ?? -1;
  }

  set heapIndex(value: number) {
    if (value !== -1 || this.#extras) this.#extra.heapIndex = value;
  }

  /** Breaks ties between equal `at`s in a lane's queue: first come, first served. */
  get seq(): number {
    return this.#extras?.seq ?? 0;
  }

  set seq(value: number) {
    this.#extra.seq = value;
  }

  /** `runNow` callers waiting for the next run's outcome. */
  get waiters(): Array<(outcome: RunOutcome) => void> | undefined {
    return this.#extras?.waiters;
  }

  set waiters(value: Array<(outcome: RunOutcome) => void> | undefined) {
    if (value !== undefined || this.#extras) this.#extra.waiters = value;
  }

  get failures(): number {
    return this.#extras?.failures ?? 0;
  }

  set failures(value: number) {
    this.#extra.failures = value;
  }

  get timeouts(): number {
    return this.#extras?.timeouts ?? 0;
  }

  set timeouts(value: number) {
    this.#extra.timeouts = value;
  }

  get lastError(): string | null {
    return this.#extras?.lastError ?? null;
  }

  set lastError(value: string | null) {
    this.#extra.lastError = value;
  }

  /** The task's child logger, made on first use and kept (never one per run). */
  get logger(): Logger {
    const extra = this.#extra;
    extra.logger ??= this.profile.logger.child({ task: this.name });
    return extra.logger;
  }

  get running(): boolean {
    return this.calling || this.#extras?.lock?.isLocked() === true;
  }

  /**
   * Takes the lock for a run that went asynchronous (it is free: callers checked `running`). It is held
   * until the run's promise settles: with `calling`, never two runs of one task at once. A semaphore of one
   * is a mutex (async-mutex's `Mutex` wraps it in an async function, several promises per run). Made on the
   * first asynchronous run: a task that only ever runs synchronously has nothing to hold across a turn of
   * the event loop.
   */
  holdAcrossRun(): void {
    const extra = this.#extra;
    extra.lock ??= new Semaphore(1);
    // The semaphore is free, so acquire() takes it synchronously.
    void extra.lock.acquire();
  }

  /** Releases the lock once the asynchronous run has settled. */
  releaseAfterRun(): void {
    this.#extras?.lock?.release();
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
