import type { Logger } from 'pino';
import type { Lane } from './lane.js';
import type { QueueItem } from './priority-queue.js';
import type { TaskState } from './task-state.js';
import type { RunOutcome, TaskContext } from './types.js';

/** The worker-timer entry that aborts a run when its `timeout` passes. */
export interface TimeoutEntry extends QueueItem {
  readonly kind: 'timeout';
  readonly at: number;
  readonly seq: number;
  readonly run: Run;
}

/**
 * One run of a task, from its start until its promise settles. Its AbortController is made when the task
 * first reads `signal` (or when the run is aborted before that), so runs that never look at it do not pay
 * for one.
 */
export class Run {
  readonly #state: TaskState;
  #controller: AbortController | undefined;
  timedOut = false;
  timeoutEntry: TimeoutEntry | undefined;
  /** What the task is called with: only the `TaskContext` view of this run. */
  readonly context: TaskContext = new RunContext(this);

  constructor(
    state: TaskState,
    readonly lane: Lane,
    readonly scheduledAt: number,
    readonly startedAt: number,
    readonly waiters: Array<(outcome: RunOutcome) => void> | undefined,
  ) {
    this.#state = state;
  }

  get state(): TaskState {
    return this.#state;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Aborts the run's signal (once; later reasons are ignored). */
  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }
}

class RunContext implements TaskContext {
  readonly #run: Run;
  constructor(run: Run) {
    this.#run = run;
  }
  get signal(): AbortSignal {
    return this.#run.signal;
  }
  get name(): string {
    return this.#run.state.name;
  }
  get scheduledAt(): number {
    return this.#run.scheduledAt;
  }
  get logger(): Logger {
    return this.#run.state.logger;
  }
}
