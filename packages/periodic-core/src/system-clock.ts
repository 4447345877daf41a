import type { Clock, TimerHandle } from './types.js';

/** The longest delay `setTimeout` honours; longer ones fire after 1 ms, so the system clock chains timers. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface SystemTimer {
  timeout: ReturnType<typeof setTimeout> | undefined;
  immediate: ReturnType<typeof setImmediate> | undefined;
}

/**
 * The real clock: `Date.now()` and `setTimeout`. A timer fires once `Date.now()` has reached the time it was
 * set for (`now() + delayMs`), at the first turn of the event loop that sees it:
 * - `setTimeout` counts whole milliseconds on the event loop's own clock, which may lag the moment the
 *   timer is set and is not in step with `Date.now()`, so it may wake a little early; the timer then waits
 *   again, and for its last millisecond (less than `setTimeout` can wait) turns the loop with
 *   `setImmediate` until `Date.now()` gets there, rather than oversleeping by up to a millisecond or two;
 * - a delay of 0 fires on the next turn (`setImmediate`), not after `setTimeout`'s 1 ms minimum;
 * - delays beyond 2^31−1 ms are served by a chain of timers.
 * Timers are not unref'd: a started worker with something scheduled keeps the process alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: SystemTimer = { timeout: undefined, immediate: undefined };
    const target = Date.now() + Math.max(0, delayMs);
    const check = (): void => {
      timer.timeout = undefined;
      timer.immediate = undefined;
      wait(target - Date.now());
    };
    const wait = (left: number): void => {
      if (left <= 0) callback();
      else if (left <= 1) timer.immediate = setImmediate(check);
      else timer.timeout = setTimeout(check, Math.min(left, MAX_TIMER_DELAY_MS));
    };
    if (delayMs <= 0) timer.immediate = setImmediate(check);
    else wait(delayMs);
    return timer;
  },
  clearTimer(handle: TimerHandle): void {
    const timer = handle as SystemTimer | undefined;
    if (timer?.timeout !== undefined) clearTimeout(timer.timeout);
    if (timer?.immediate !== undefined) clearImmediate(timer.immediate);
    if (timer) {
      timer.timeout = undefined;
      timer.immediate = undefined;
    }
  },
};
