import type { IntrospectionState } from './types.js';

/** What the simulator remembers about one (re)start of introspection; state is derived from it and the time. */
export interface IntrospectionRun {
  readonly uuid: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly fail: string | undefined;
  /** inspector's `[DEFAULT] timeout`: a run still going after it ends in error. */
  readonly timeoutMs: number;
  /** Set when an abort was accepted: when it was and how long `aborting` lasts. */
  readonly abort?: { readonly at: number; readonly durationMs: number };
}

/** The state of a run at one instant. */
export interface RunStatus {
  readonly state: IntrospectionState;
  readonly error: string | null;
  readonly finishedAt: number | null;
}

/**
 * How long a node stays `starting`: inspector only sets the boot device and asks Ironic to reboot the
 * node before it waits for the ramdisk, which takes about a second.
 */
export const STARTING_MS = 1_000;
/** Share of the run after which the ramdisk has called back and inspector processes its data. */
const PROCESSING_FROM = 0.8;

/** inspector's message on an introspection that took longer than its `[DEFAULT] timeout`. */
export const TIMEOUT_MESSAGE = 'Introspection timeout';

/** Inspector's message on an introspection aborted by the API. */
export const ABORT_MESSAGE = 'Canceled by operator';

/** Computes the state of `run` at `now`: starting → waiting → processing → finished | error, or aborting → error. */
export function statusAt(run: IntrospectionRun, now: number): RunStatus {
  if (run.abort) {
    const endsAt = run.abort.at + run.abort.durationMs;
    return now < endsAt
      ? { state: 'aborting', error: null, finishedAt: null }
      : { state: 'error', error: ABORT_MESSAGE, finishedAt: endsAt };
  }
  const elapsed = now - run.startedAt;
  if (run.durationMs > run.timeoutMs && elapsed >= run.timeoutMs) {
    return { state: 'error', error: TIMEOUT_MESSAGE, finishedAt: run.startedAt + run.timeoutMs };
  }
  const endsAt = run.startedAt + run.durationMs;
  if (elapsed >= run.durationMs) {
    return run.fail === undefined
      ? { state: 'finished', error: null, finishedAt: endsAt }
      : { state: 'error', error: run.fail, finishedAt: endsAt };
  }
  if (elapsed < Math.min(STARTING_MS, run.durationMs))
    return { state: 'starting', error: null, finishedAt: null };
  if (elapsed < run.durationMs * PROCESSING_FROM) return { state: 'waiting', error: null, finishedAt: null };
  return { state: 'processing', error: null, finishedAt: null };
}
