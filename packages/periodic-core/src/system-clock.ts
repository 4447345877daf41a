import type { Clock, TimerHandle } from './types.js';

/** The longest delay `setTimeout` honours; longer ones fire after 1 ms, so the system clock chains timers. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface SystemTimer {
  timeout: ReturnType<typeof setTimeout> | undefined;
  immediate: ReturnType<typeof setImmediate> | undefined;
}

/**
 * A wait at least this long wakes `SPIN_LEAD_MS` early and turns the event loop for the rest: `setTimeout`
 * wakes 0.2–1.5 ms after the millisecond it was asked for, and a burst of runs due at one instant is late
 * by that much, every one of them. Shorter waits (timers set back to back) are not worth the spinning.
 */
export const PRECISE_WAIT_MS = 100;
/** How long before its time a precise wait's `setTimeout` wakes, to turn the loop until the time comes. */
export const SPIN_LEAD_MS = 2;

/**
 * The real clock: `Date.now()` and `setTimeout`. A timer fires once `Date.now()` has reached the time it was
 * set for (`now() + delayMs`), at the first turn of the event loop that sees it:
 * - `setTimeout` counts whole milliseconds on the event loop's own clock, which may lag the moment the
 *   timer is set and is not in step with `Date.now()`, so it may wake a little early, and it often wakes a
 *   millisecond or so late. So a wait of `PRECISE_WAIT_MS` or more asks `setTimeout` to wake it
 *   `SPIN_LEAD_MS` early, and any wait turns the loop with `setImmediate` for its last stretch (at most
 *   `SPIN_LEAD_MS`, or the last millisecond of a shorter wait, less than `setTimeout` can wait) until
 *   `Date.now()` gets there, rather than oversleeping;
 * - a delay of 0 fires on the next turn (`setImmediate`), not after `setTimeout`'s 1 ms minimum;
 * - delays beyond 2^31−1 ms are served by a chain of timers.
 * Timers are not unref'd: a started worker with something scheduled keeps the process alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: SystemTimer = { timeout: undefined, immediate: undefined };
    const target = Date.now() + Math.max(0, delayMs);
    const lead = delayMs >= PRECISE_WAIT_MS ? SPIN_LEAD_MS : 0;
    const check = (): void => {
      timer.timeout = undefined;
      timer.immediate = undefined;
      wait(target - Date.now());
    };
    const wait = (left: number): void => {
      if (left <= 0) callback();
      else if (left <= 1 || left <= lead) timer.immediate = setImmediate(check);
      else timer.timeout = setTimeout(check, Math.min(left - lead, MAX_TIMER_DELAY_MS));
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
