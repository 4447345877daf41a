import { type Logger, pino } from 'pino';
import { BurstClock } from './burst-clock.js';
import { runEndChannel, runErrorChannel, runSkipChannel, runStartChannel } from './diagnostics.js';
import { parseDuration } from './duration.js';
import {
  DuplicateTaskName,
  InvalidPeriodicOptions,
  InvalidWorkerOptions,
  NeverAgain,
  TaskTimedOut,
  UnknownTask,
  WorkerAlreadyStarted,
  WorkerStopped,
} from './errors.js';
import { createLane, type Lane } from './lane.js';
import { resolvePeriodicOptions } from './options.js';
import { AsyncRun, RunContext, type TimeoutEntry } from './run.js';
import { systemClock } from './system-clock.js';
import { TaskProfiles } from './task-profile.js';
import { TaskState } from './task-state.js';
import { AT, LAST_STARTED_AT, NOMINAL_AT, TaskTimes } from './task-times.js';
import { type TimerEntry, TimerQueue } from './timer-queue.js';
import type {
  Clock,
  PeriodicTask,
  PeriodicWorkerOptions,
  RunOutcome,
  RunStatus,
  StopOptions,
  TaskStats,
  TimerHandle,
  WorkerState,
} from './types.js';

/** The timer entry that aborts runs still in flight when `stop({ timeout })` runs out of patience. */
interface DeadlineEntry extends TimerEntry {
  readonly kind: 'deadline';
  readonly at: number;
  readonly timeoutMs: number;
}

type WorkerTimerEntry = TaskState | TimeoutEntry | DeadlineEntry;

/** Who waits for a run's outcome: `runNow` callers. */
type Waiters = Array<(outcome: RunOutcome) => void> | undefined;

const DEFAULT_MAX_WORKERS = 8;

/**
 * Runs periodic tasks on one timer. `parallel` tasks share a pool of `maxWorkers`; the others run one at a
 * time on a serial lane. A task never overlaps itself: a run that falls due while the previous one is still
 * going is skipped (and counted), and the task keeps its cadence.
 */
export class PeriodicWorker {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #profiles: TaskProfiles;
  readonly #random: () => number;
  readonly #tasks = new Map<string, TaskState>();
  /**
   * Every future event (due runs, run timeouts, the stop deadline), served by a single clock timer. Tasks
   * due at the same instant share one bucket of it.
   */
  readonly #timers = new TimerQueue<WorkerTimerEntry>();
  readonly #pool: Lane;
  readonly #serial: Lane = createLane(1);
  /** Runs that returned a promise and have not settled yet. */
  readonly #inFlight = new Set<AsyncRun>();
  /** Task functions being called right now (more than one when a run starts another on another lane). */
  #calling = 0;
  #state: WorkerState = 'idle';
  #startedAt = 0;
  #seq = 0;
  #timer: TimerHandle | undefined;
  #armedAt = Number.POSITIVE_INFINITY;
  #dispatching = false;
  /**
   * While dispatching: the clock's latest reading. The next run starts at it, and quick synchronous runs
   * in a row share it (see `BurstClock`), so a burst reads the clock far less than once per run.
   */
  readonly #burst: BurstClock;
  #idleWaiters: Array<() => void> = [];
  #stopped: Promise<void> | undefined;
  #resolveStopped: (() => void) | undefined;
  #deadline: DeadlineEntry | undefined;

  constructor(options: PeriodicWorkerOptions = {}) {
    const maxWorkers = options.maxWorkers ?? DEFAULT_MAX_WORKERS;
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new InvalidWorkerOptions('maxWorkers', maxWorkers, 'must be an integer ≥ 1');
    }
    const clock = options.clock ?? systemClock;
    if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidWorkerOptions('clock', clock, 'must have now(), setTimer() and clearTimer()');
    }
    this.#pool = createLane(maxWorkers);
    this.#clock = clock;
    this.#burst = new BurstClock(clock);
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.#profiles = new TaskProfiles(this.#logger, new TaskTimes());
    this.#random = options.random ?? Math.random;
  }

  /** `idle` until `start()`, then `running`; `stopping` while `stop()` waits for runs, then `stopped`. */
  get state(): WorkerState {
    return this.#state;
  }

  /** How many tasks the worker holds (disabled ones included). */
  get size(): number {
    return this.#tasks.size;
  }

  /** How many `parallel` tasks may run at once. */
  get maxWorkers(): number {
    return this.#pool.capacity;
  }

  /**
   * Adds one task or several, before or after `start()`. All or none: a name the worker already holds
   * (or that appears twice in the list) throws `DuplicateTaskName` and nothing is added.
   */
  add(taskOrTasks: PeriodicTask | readonly PeriodicTask[]): void {
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      throw new WorkerStopped('Cannot add tasks to a periodic worker that is stopping or stopped');
    }
    const tasks: readonly PeriodicTask[] = Array.isArray(taskOrTasks)
      ? taskOrTasks
      : [taskOrTasks as PeriodicTask];
    const states: TaskState[] = [];
    this.#profiles.reserve(tasks.length);
    try {
      for (const task of tasks) {
        const state = this.#admit(task);
        if (this.#tasks.has(state.name)) throw new DuplicateTaskName(state.name);
        this.#tasks.set(state.name, state);
        states.push(state);
      }
    } catch (error) {
      // All or none. (The map itself catches a name given twice in the list: no second set of 100,000 names.)
      for (const state of states) this.#tasks.delete(state.name);
      throw error;
    }
    if (this.#state !== 'running') return;
    const now = this.#clock.now();
    for (const state of states) this.#scheduleFirst(state, now);
    this.#rearm();
  }

  /** Removes a task; a run in progress finishes, but it is never run again. Returns whether it was held. */
  remove(name: string): boolean {
    const state = this.#tasks.get(name);
    if (!state) return false;
    this.#forget(state);
    this.#rearm();
    return true;
  }

  /** Whether the worker holds a task of this name. */
  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  /**
   * Starts the schedule: `runImmediately` tasks fall due now, the others one spacing from now (`aligned` ones
   * at the first multiple of spacing). Runs are dispatched from the worker's timer, never inside `start()`.
   * Throws `WorkerAlreadyStarted`, or `WorkerStopped` after `stop()`.
   */
  start(): void {
    if (this.#state === 'running') throw new WorkerAlreadyStarted();
    if (this.#state !== 'idle') throw new WorkerStopped('A stopped periodic worker cannot be started again');
    this.#state = 'running';
    const now = this.#clock.now();
    this.#startedAt = now;
    for (const state of this.#tasks.values()) this.#scheduleFirst(state, now);
    this.#rearm();
  }

  /**
   * Makes a task fall due now (it still waits for a free worker) and resolves with the run's outcome.
   * A run already in progress gives `skipped` (counted); a disabled task gives `skipped` (not counted).
   * Works before `start()`; rejects with `UnknownTask`, or `WorkerStopped` once stopping.
   */
  runNow(name: string): Promise<RunOutcome> {
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      return Promise.reject(
        new WorkerStopped(`Cannot run "${name}": the periodic worker is stopping or stopped`),
      );
    }
    const state = this.#tasks.get(name);
    if (!state) return Promise.reject(new UnknownTask(name));
    if (!state.enabled) return Promise.resolve({ status: 'skipped', reason: 'disabled' });
    const now = this.#clock.now();
    if (state.running) {
      this.#skip(state, now, now);
      return Promise.resolve({ status: 'skipped', reason: 'running' });
    }
    const outcome = new Promise<RunOutcome>((resolve) => {
      state.waiters ??= [];
      state.waiters.push(resolve);
    });
    if (state.place === 'queue') return outcome;
    if (state.place === 'timer') this.#timers.remove(state);
    state.nominalAt = now;
    state.at = now;
    this.#enqueue(state);
    this.#rearm();
    return outcome;
  }

  /**
   * Stops dispatching, waits for runs in flight and resolves once they have settled. With `timeout`, their
   * signals are aborted (reason: `WorkerStopped`) when it passes. Afterwards no timer is left set.
   * Calling it again returns the same promise (a `timeout` given then still applies).
   */
  stop(options: StopOptions = {}): Promise<void> {
    let timeoutMs: number | undefined;
    try {
      timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, 'stop timeout');
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.#stopped) {
      this.#state = this.#state === 'idle' && this.#busy === 0 ? 'stopped' : 'stopping';
      this.#stopped = new Promise<void>((resolve) => {
        this.#resolveStopped = resolve;
      });
      this.#dropSchedule();
    }
    if (timeoutMs !== undefined && this.#state === 'stopping' && !this.#deadline) {
      this.#deadline = {
        kind: 'deadline',
        at: this.#clock.now() + timeoutMs,
        slot: -1,
        timeoutMs,
      };
      this.#timers.push(this.#deadline);
    }
    this.#rearm();
    this.#settled();
    return this.#stopped;
  }

  /** Resolves when no run is in flight (at once if none is). */
  idle(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Every task's figures, sorted by name; or one task's (throws `UnknownTask` if it is not held). */
  stats(): TaskStats[];
  stats(name: string): TaskStats;
  stats(name?: string): TaskStats[] | TaskStats {
    if (name !== undefined) return this.taskStats(name);
    const all: TaskStats[] = [];
    for (const state of this.#tasks.values()) all.push(state.toStats());
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** One task's figures; throws `UnknownTask` if the worker does not hold it. */
  taskStats(name: string): TaskStats {
    const state = this.#tasks.get(name);
    if (!state) throw new UnknownTask(name);
    return state.toStats();
  }

  /** Runs in flight: those that returned a promise, and task functions being called right now. */
  get #busy(): number {
    return this.#inFlight.size + this.#calling;
  }

  #admit(task: PeriodicTask): TaskState {
    if (typeof task !== 'object' || task === null || typeof task.run !== 'function') {
      throw new InvalidPeriodicOptions(
        'a task given to PeriodicWorker.add',
        undefined,
        task,
        'a task needs a name, options and a run function (see collectPeriodicTasks and definePeriodicTask)',
      );
    }
    if (typeof task.name !== 'string' || task.name === '') {
      throw new InvalidPeriodicOptions(
        'a task given to PeriodicWorker.add',
        'name',
        task.name,
        'needs a name',
      );
    }
    const options = resolvePeriodicOptions(task.options, () => `task "${task.name}"`);
    return new TaskState(task, this.#profiles.of(options));
  }

  #scheduleFirst(state: TaskState, now: number): void {
    const { enabled, runImmediately, spacing, strategy } = state;
    if (!enabled || state.place !== 'none') return;
    // A run started by runNow before start() schedules its successor when it finishes.
    if (state.running && strategy !== 'last-started') return;
    if (runImmediately) this.#schedule(state, now);
    else if (strategy === 'aligned') this.#schedule(state, this.#nextAligned(state, now));
    else this.#schedule(state, now + spacing);
  }

  #schedule(state: TaskState, nominalAt: number): void {
    if (state.place === 'timer') this.#timers.remove(state);
    // Straight to the task's profile and row (not its getters): this runs once per run, and before the
    // optimising compiler has caught up, each getter is a call of its own.
    const profile = state.profile;
    const jitter = profile.jitter;
    const at = jitter > 0 ? nominalAt + this.#random() * jitter * profile.spacing : nominalAt;
    const data = profile.times.data;
    data[state.row + NOMINAL_AT] = nominalAt;
    data[state.row + AT] = at;
    state.place = 'timer';
    this.#timers.push(state, at);
  }

  /** The first multiple of spacing, counted from the worker's start, strictly after `t`. */
  #nextAligned(state: TaskState, t: number): number {
    const { spacing } = state;
    return this.#startedAt + spacing * (Math.floor((t - this.#startedAt) / spacing) + 1);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#armedAt = Number.POSITIVE_INFINITY;
    this.#dispatchDue();
  };

  /** Fires every timer entry that is due, then arms the one timer for the next. */
  #dispatchDue(): void {
    if (!this.#dispatching) {
      this.#dispatching = true;
      try {
        const now = this.#burst.open();
        // Only what is due by `now`: a run that outlasts its spacing makes its next due time pass during
        // the loop, and that one waits for the next timer, so the event loop always gets a turn.
        let more = true;
        while (more) more = this.#timers.shiftDue(now, this.#fire);
      } finally {
        this.#burst.close();
        this.#dispatching = false;
      }
    }
    this.#rearm();
  }

  readonly #fire = (entry: WorkerTimerEntry): void => {
    if (entry.kind === 'due') this.#onDue(entry);
    else if (entry.kind === 'timeout') this.#onTimeout(entry.run);
    else this.#onDeadline(entry);
  };

  #rearm(): void {
    if (this.#dispatching) return;
    const nextAt = this.#timers.nextAt;
    if (nextAt === undefined) {
      if (this.#timer !== undefined) {
        this.#clock.clearTimer(this.#timer);
        this.#timer = undefined;
        this.#armedAt = Number.POSITIVE_INFINITY;
      }
      return;
    }
    // A timer set for earlier may wake up to nothing; that costs less than re-arming on every change.
    if (this.#timer !== undefined) {
      if (this.#armedAt <= nextAt) return;
      this.#clock.clearTimer(this.#timer);
    }
    this.#armedAt = nextAt;
    this.#timer = this.#clock.setTimer(this.#onTimer, Math.max(0, nextAt - this.#clock.now()));
  }

  #onDue(state: TaskState): void {
    state.place = 'none';
    if (this.#state !== 'running' || state.removed) return;
    if (state.running) {
      const now = this.#clock.now();
      this.#skip(state, state.at, now);
      // last-finished and aligned tasks schedule their next run when the current one finishes.
      if (state.strategy === 'last-started') {
        this.#schedule(state, afterStart(state.nominalAt, state.spacing, now));
      }
      return;
    }
    this.#enqueue(state);
  }

  #enqueue(state: TaskState): void {
    const lane = state.parallel ? this.#pool : this.#serial;
    if (!lane.pumping && lane.active < lane.capacity && lane.queue.size === 0) {
      // Nobody waits before it and a worker is free: start it without a trip through the lane's queue.
      state.place = 'none';
      lane.pumping = true;
      try {
        this.#startRun(state, lane);
      } finally {
        lane.pumping = false;
      }
      if (lane.queue.size > 0) this.#pump(lane);
      return;
    }
    state.place = 'queue';
    state.seq = this.#seq++;
    lane.queue.push(state);
    this.#pump(lane);
  }

  #pump(lane: Lane): void {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      while (lane.active < lane.capacity) {
        const state = lane.queue.pop();
        if (state === undefined) break;
        state.place = 'none';
        this.#startRun(state, lane);
      }
    } finally {
      lane.pumping = false;
    }
  }

  /**
   * Starts a run (the task is not running: callers checked). The task function is called at once; if it
   * returns without a promise the run is finished before this returns, with no promise, lock or timer
   * entry made for it. Only a run that goes asynchronous takes the task's lock, joins the runs in flight
   * and gets its timeout entry.
   */
  #startRun(state: TaskState, lane: Lane): void {
    // A run started by the timer's dispatch (not from inside another task's function) is part of the burst.
    const inBurst = this.#dispatching && this.#calling === 0;
    const burst = this.#burst;
    // Only a last-started task's next due time is fixed before its run, and only without subscribers
    // (whose messages carry the times) may its finish be the reading shared with the runs around it.
    const profile = state.profile;
    const lastStarted = profile.strategy === 'last-started';
    const mayShare =
      inBurst &&
      burst.room &&
      !state.timedAlone &&
      lastStarted &&
      !runStartChannel.hasSubscribers &&
      !runEndChannel.hasSubscribers;
    const startedAt = !inBurst ? this.#clock.now() : mayShare ? burst.now : burst.readBefore();
    lane.active++;
    const data = profile.times.data;
    const row = state.row;
    const scheduledAt = data[row + AT]!;
    const waiters = state.waiters;
    if (waiters !== undefined) state.waiters = undefined;
    data[row + LAST_STARTED_AT] = startedAt;
    if (lastStarted && this.#state === 'running') {
      this.#schedule(state, afterStart(data[row + NOMINAL_AT]!, profile.spacing, startedAt));
    }
    if (runStartChannel.hasSubscribers) {
      runStartChannel.publish({ name: state.name, scheduledAt, startedAt, status: 'started' });
    }
    const context = new RunContext(state, scheduledAt);
    let result: unknown;
    let threw = false;
    let error: unknown;
    state.calling = true;
    this.#calling++;
    try {
      result = state.run(context);
    } catch (thrown) {
      threw = true;
      error = thrown;
    }
    this.#calling--;
    state.calling = false;
    const thenable = threw ? undefined : asThenable(result);
    const sync = thenable === undefined;
    let returnedAt: number;
    if (!inBurst) returnedAt = this.#clock.now();
    else if (mayShare && sync && !threw) {
      burst.share(state);
      returnedAt = startedAt;
    } else {
      returnedAt = burst.readAfter(state);
      // Timed alone: it stays so while it takes a millisecond or more. (Worked out whether or not the task
      // is timed alone: an operation first met in a later burst would deoptimise this method there.)
      const tookAMillisecond = returnedAt - startedAt >= 1;
      state.timedAlone = state.timedAlone && tookAMillisecond;
    }
    if (sync) {
      this.#finish(state, lane, scheduledAt, startedAt, returnedAt, threw, error, false, waiters);
      return;
    }
    const run = new AsyncRun(state, lane, context, scheduledAt, startedAt, waiters);
    state.holdAcrossRun();
    this.#inFlight.add(run);
    if (profile.timeout !== undefined) this.#timers.push(run.timeoutAfter(profile.timeout));
    try {
      thenable.then(
        () => this.#settle(run, false, undefined),
        (rejection: unknown) => this.#settle(run, true, rejection),
      );
    } catch (thrown) {
      // A thenable whose then() throws would otherwise hold the task's lock forever.
      this.#settle(run, true, thrown);
    }
  }

  /** An asynchronous run settled (once: a thenable that calls back twice is heard once). */
  #settle(run: AsyncRun, failed: boolean, error: unknown): void {
    if (!this.#inFlight.delete(run)) return;
    const finishedAt = this.#clock.now();
    if (run.timeoutEntry) this.#timers.remove(run.timeoutEntry);
    run.state.releaseAfterRun();
    const { state, lane, scheduledAt, startedAt, timedOut, waiters } = run;
    this.#finish(state, lane, scheduledAt, startedAt, finishedAt, failed, error, timedOut, waiters);
  }

  /**
   * Books a finished run. Kept small (the rare outcomes have methods of their own) so that a run which
   * succeeded synchronously costs a few field writes.
   */
  #finish(
    state: TaskState,
    lane: Lane,
    scheduledAt: number,
    startedAt: number,
    finishedAt: number,
    failed: boolean,
    error: unknown,
    timedOut: boolean,
    waiters: Waiters,
  ): void {
    lane.active--;
    const durationMs = finishedAt - startedAt;
    state.runs++;
    state.finished(finishedAt, durationMs);
    const status: RunStatus =
      failed || timedOut ? this.#bookFailure(state, failed, error, timedOut, durationMs) : 'succeeded';
    if (status === 'succeeded') state.successes++;
    else if (status === 'failed' && runErrorChannel.hasSubscribers) {
      runErrorChannel.publish(message(state, scheduledAt, startedAt, 'failed', finishedAt, error));
    }
    if (runEndChannel.hasSubscribers) {
      const reported = status === 'removed' ? undefined : error;
      runEndChannel.publish(message(state, scheduledAt, startedAt, status, finishedAt, reported));
    }
    if (state.strategy !== 'last-started') this.#scheduleAfterFinish(state, finishedAt);
    if (waiters !== undefined) {
      const outcome: RunOutcome =
        failed && status !== 'removed' ? { status, error, durationMs } : { status, durationMs };
      for (const resolve of waiters) resolve(outcome);
    }
    if (state.removed) state.giveBackTimes();
    if (lane.queue.size > 0) this.#pump(lane);
    if (!this.#dispatching) this.#rearm();
    // Only someone waiting for idle or for stop needs to hear that nothing is in flight any more.
    if ((this.#idleWaiters.length > 0 || this.#resolveStopped !== undefined) && this.#busy === 0) {
      this.#settled();
    }
  }

  /** The outcome of a run that threw, rejected or timed out; logs and counts it. */
  #bookFailure(
    state: TaskState,
    failed: boolean,
    error: unknown,
    timedOut: boolean,
    durationMs: number,
  ): RunStatus {
    if (failed && isNeverAgain(error)) {
      this.#logger.info({ task: state.name, durationMs }, 'periodic task asked never to run again; removed');
      if (this.#tasks.get(state.name) === state) this.#forget(state);
      return 'removed';
    }
    if (timedOut) return 'timed-out';
    state.failures++;
    state.lastError = describeError(error);
    this.#logger.error({ task: state.name, err: error, durationMs }, 'periodic task failed');
    return 'failed';
  }

  /** `last-finished` and `aligned` tasks fall due again counting from the end of their run. */
  #scheduleAfterFinish(state: TaskState, finishedAt: number): void {
    const { strategy, spacing, enabled } = state;
    if (this.#state !== 'running' || !enabled || state.removed || state.place !== 'none') return;
    if (strategy === 'last-finished') this.#schedule(state, finishedAt + spacing);
    else this.#schedule(state, this.#nextAligned(state, finishedAt));
  }

  #onTimeout(run: AsyncRun): void {
    run.timeoutEntry = undefined;
    if (!this.#inFlight.has(run) || run.timedOut) return;
    const { state } = run;
    const timeoutMs = state.timeout ?? 0;
    const reason = new TaskTimedOut(state.name, timeoutMs);
    run.timedOut = true;
    state.timeouts++;
    state.lastError = describeError(reason);
    this.#logger.warn({ task: state.name, timeoutMs }, 'periodic task timed out; its signal is aborted');
    run.abort(reason);
  }

  #onDeadline(deadline: DeadlineEntry): void {
    const reason = new WorkerStopped(
      `The periodic worker stopped and its stop timeout of ${deadline.timeoutMs} ms passed`,
    );
    if (this.#inFlight.size > 0) {
      this.#logger.warn({ inFlight: this.#inFlight.size }, 'stop timeout passed; aborting runs in flight');
    }
    // Running past the stop deadline is a timeout too: counted, and the run's outcome is `timed-out`.
    for (const run of this.#inFlight) {
      if (!run.timedOut) {
        run.timedOut = true;
        run.state.timeouts++;
        run.state.lastError = describeError(reason);
      }
      run.abort(reason);
    }
  }

  #skip(state: TaskState, scheduledAt: number, now: number): void {
    state.skipped++;
    this.#logger.debug({ task: state.name, scheduledAt }, 'periodic task still running; this run is skipped');
    if (runSkipChannel.hasSubscribers) {
      runSkipChannel.publish({ name: state.name, scheduledAt, startedAt: now, status: 'skipped' });
    }
  }

  /** Takes a task out of the worker and of every queue; `runNow` callers waiting on it get `removed`. */
  #forget(state: TaskState): void {
    this.#tasks.delete(state.name);
    state.removed = true;
    this.#unplace(state);
    // A run in progress books its times when it finishes, and gives the row back then.
    if (!state.running) state.giveBackTimes();
    const waiters = state.waiters;
    state.waiters = undefined;
    if (waiters) for (const resolve of waiters) resolve({ status: 'removed' });
  }

  #unplace(state: TaskState): void {
    if (state.place === 'timer') this.#timers.remove(state);
    else if (state.place === 'queue') (state.parallel ? this.#pool : this.#serial).queue.remove(state);
    state.place = 'none';
  }

  /** On stop: no more due runs; runs waiting for a worker never start (their callers get `skipped`). */
  #dropSchedule(): void {
    for (const entry of this.#timers.drain()) {
      if (entry.kind === 'due') entry.place = 'none';
      else this.#timers.push(entry);
    }
    for (const lane of [this.#pool, this.#serial]) {
      for (const state of lane.queue.drain()) {
        state.place = 'none';
        const waiters = state.waiters;
        state.waiters = undefined;
        if (waiters) for (const resolve of waiters) resolve({ status: 'skipped', reason: 'stopped' });
      }
    }
  }

  /** Wakes `idle()` callers and completes `stop()` once nothing is in flight. */
  #settled(): void {
    if (this.#busy > 0) return;
    if (this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.#stopped && this.#resolveStopped) {
      this.#state = 'stopped';
      this.#timers.drain();
      this.#deadline = undefined;
      if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
      this.#timer = undefined;
      this.#armedAt = Number.POSITIVE_INFINITY;
      const resolve = this.#resolveStopped;
      this.#resolveStopped = undefined;
      resolve();
    }
  }
}

/**
 * The next cadence point after a run that fell due at `nominalAt` started (or was skipped) at `t`: one
 * spacing on, so dispatch lateness does not drift the cadence, unless that is already past (the run was more
 * than a spacing late), in which case the cadence restarts from `t` instead of bursting to catch up.
 */
function afterStart(nominalAt: number, spacing: number, t: number): number {
  const next = nominalAt + spacing;
  return next > t ? next : t + spacing;
}

/** `value` if it is a thenable (a run that went asynchronous), else undefined. */
function asThenable(value: unknown): PromiseLike<unknown> | undefined {
  return (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
    ? (value as PromiseLike<unknown>)
    : undefined;
}

function isNeverAgain(error: unknown): boolean {
  return (
    error instanceof NeverAgain ||
    (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_NEVER_AGAIN')
  );
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function message(
  state: TaskState,
  scheduledAt: number,
  startedAt: number,
  status: RunStatus,
  finishedAt: number,
  error: unknown,
) {
  return {
    name: state.name,
    scheduledAt,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
    ...(error === undefined ? {} : { error }),
    status,
  };
}
