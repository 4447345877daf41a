/** The base of every error this package throws; `code` is a stable string to match on. */
export abstract class PeriodicError extends Error {
  abstract readonly code: string;
}

/** A duration that is not a finite, non-negative number of milliseconds or a `"250ms"`-style string. */
export class InvalidDuration extends PeriodicError {
  override readonly name = 'InvalidDuration';
  readonly code = 'ERR_INVALID_DURATION';
  constructor(
    /** What the duration was for, e.g. `"spacing"`. */
    readonly what: string,
    /** The rejected value. */
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid ${what}: ${reason} (got ${describeValue(value)})`);
  }
}

/** `@periodic(...)` or `definePeriodicTask(...)` got options it cannot use; the message names where and what. */
export class InvalidPeriodicOptions extends PeriodicError {
  override readonly name = 'InvalidPeriodicOptions';
  readonly code = 'ERR_INVALID_PERIODIC_OPTIONS';
  constructor(
    /** Where the options were given, e.g. `method "poll"`. */
    readonly where: string,
    /** The offending option, e.g. `"spacing"`, or `undefined` when the problem is not one option. */
    readonly option: string | undefined,
    /** The rejected value. */
    readonly value: unknown,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Invalid periodic task options for ${where}: ${reason} (got ${describeValue(value)})`, options);
  }
}

/** `new PeriodicWorker(...)` got options it cannot use. */
export class InvalidWorkerOptions extends PeriodicError {
  override readonly name = 'InvalidWorkerOptions';
  readonly code = 'ERR_INVALID_WORKER_OPTIONS';
  constructor(
    readonly option: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid PeriodicWorker option ${option}: ${reason} (got ${describeValue(value)})`);
  }
}

/** A task was added under a name the worker already holds. */
export class DuplicateTaskName extends PeriodicError {
  override readonly name = 'DuplicateTaskName';
  readonly code = 'ERR_DUPLICATE_TASK_NAME';
  constructor(readonly taskName: string) {
    super(`A periodic task named "${taskName}" is already registered with this worker`);
  }
}

/** A worker was asked about a task name it does not hold. */
export class UnknownTask extends PeriodicError {
  override readonly name = 'UnknownTask';
  readonly code = 'ERR_UNKNOWN_TASK';
  constructor(readonly taskName: string) {
    super(`No periodic task named "${taskName}" is registered with this worker`);
  }
}

/**
 * Thrown by a task to say it has nothing left to do: the worker removes it and never runs it again.
 * This is not counted as a failure.
 */
export class NeverAgain extends PeriodicError {
  override readonly name = 'NeverAgain';
  readonly code = 'ERR_NEVER_AGAIN';
  constructor(message = 'The periodic task asked never to run again', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The worker is stopping or stopped: it takes no new tasks or runs. Also the abort reason of runs still in
 * flight when `stop({ timeout })` runs out of patience.
 */
export class WorkerStopped extends PeriodicError {
  override readonly name = 'WorkerStopped';
  readonly code = 'ERR_WORKER_STOPPED';
  constructor(message = 'The periodic worker is stopped') {
    super(message);
  }
}

/** `start()` was called on a worker that has already started. */
export class WorkerAlreadyStarted extends PeriodicError {
  override readonly name = 'WorkerAlreadyStarted';
  readonly code = 'ERR_WORKER_ALREADY_STARTED';
  constructor() {
    super('The periodic worker has already started');
  }
}

/** The abort reason of a run that outlived its `timeout`. */
export class TaskTimedOut extends PeriodicError {
  override readonly name = 'TaskTimedOut';
  readonly code = 'ERR_TASK_TIMED_OUT';
  constructor(
    readonly taskName: string,
    readonly timeoutMs: number,
  ) {
    super(`Periodic task "${taskName}" timed out after ${timeoutMs} ms`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol' || typeof value === 'bigint') return `${String(value)} (${typeof value})`;
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
