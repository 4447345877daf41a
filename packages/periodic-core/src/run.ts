import type { Logger } from 'pino';
import type { Lane } from './lane.js';
import type { TaskState } from './task-state.js';
import type { TimerEntry } from './timer-queue.js';
import type { RunOutcome, TaskContext } from './types.js';

/**
 * What one run of a task is called with, and all that a run that finishes synchronously needs: its
 * AbortController is made only when the task reads `signal` (or when the run is aborted before that).
 * The worker's bookkeeping stays out of it: the task sees the `TaskContext` fields and nothing else.
 */
export class RunContext implements TaskContext {
  readonly #state: TaskState;
  readonly #scheduledAt: number;
  #controller: AbortController | undefined;

  constructor(state: TaskState, scheduledAt: number) {
    this.#state = state;
    this.#scheduledAt = scheduledAt;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  get name(): string {
    return this.#state.name;
  }

  get scheduledAt(): number {
    return this.#scheduledAt;
  }

  get logger(): Logger {
    return this.#state.logger;
  }

  /** Aborts the run's signal (once; later reasons are ignored). */
  static abort(context: RunContext, reason: unknown): void {
    context.#controller ??= new AbortController();
    if (!context.#controller.signal.aborted) context.#controller.abort(reason);
  }
}

/** The worker-timer entry that aborts a run when its `timeout` passes. */
export interface TimeoutEntry extends TimerEntry {
  readonly kind: 'timeout';
  readonly at: number;
  readonly run: AsyncRun;
}

/** A run whose task returned a promise: what the worker needs until it settles. */
export class AsyncRun {
  timedOut = false;
  timeoutEntry: TimeoutEntry | undefined = undefined;

  constructor(
    readonly state: TaskState,
    readonly lane: Lane,
    readonly context: RunContext,
    readonly scheduledAt: number,
    readonly startedAt: number,
    readonly waiters: Array<(outcome: RunOutcome) => void> | undefined,
  ) {}

  /** Arms the entry that times this run out `timeoutMs` after it started. */
  timeoutAfter(timeoutMs: number): TimeoutEntry {
    this.timeoutEntry = { kind: 'timeout', at: this.startedAt + timeoutMs, slot: -1, run: this };
    return this.timeoutEntry;
  }

  abort(reason: unknown): void {
    RunContext.abort(this.context, reason);
  }
}
