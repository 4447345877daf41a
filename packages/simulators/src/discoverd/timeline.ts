import type { IntrospectionState } from './types.js';

/** What the simulator remembers about one (re)start of introspection; state is derived from it and the time. */
export interface IntrospectionRun {
  readonly uuid: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly fail: string | undefined;
  /** Set when an abort was accepted: when it was and how long `aborting` lasts. */
  readonly abort?: { readonly at: number; readonly durationMs: number };
}

/** The state of a run at one instant. */
export interface RunStatus {
  readonly state: IntrospectionState;
  readonly error: string | null;
  readonly finishedAt: number | null;
}

/** Shares of the run spent starting (setting PXE boot, rebooting) and waiting for the ramdisk; the rest is processing. */
const STARTING_SHARE = 0.1;
const WAITING_SHARE = 0.7;

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
  const endsAt = run.startedAt + run.durationMs;
  if (elapsed >= run.durationMs) {
    return run.fail === undefined
      ? { state: 'finished', error: null, finishedAt: endsAt }
      : { state: 'error', error: run.fail, finishedAt: endsAt };
  }
  if (elapsed < run.durationMs * STARTING_SHARE) return { state: 'starting', error: null, finishedAt: null };
  if (elapsed < run.durationMs * (STARTING_SHARE + WAITING_SHARE)) {
    return { state: 'waiting', error: null, finishedAt: null };
  }
  return { state: 'processing', error: null, finishedAt: null };
}
