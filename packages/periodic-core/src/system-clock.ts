import type { Clock, TimerHandle } from './types.js';

/** The longest delay `setTimeout` honours; longer ones fire after 1 ms, so the system clock chains timers. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface ChainedTimer {
  timeout: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The real clock: `Date.now()` and `setTimeout`. Delays beyond 2^31−1 ms are served by a chain of timers.
 * Timers are not unref'd: a started worker with something scheduled keeps the process alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: ChainedTimer = { timeout: undefined };
    const arm = (remaining: number): void => {
      if (remaining > MAX_TIMER_DELAY_MS) {
        timer.timeout = setTimeout(arm, MAX_TIMER_DELAY_MS, remaining - MAX_TIMER_DELAY_MS);
      } else {
        timer.timeout = setTimeout(callback, Math.max(0, remaining));
      }
    };
    arm(delayMs);
    return timer;
  },
  clearTimer(handle: TimerHandle): void {
    const timer = handle as ChainedTimer | undefined;
    if (timer?.timeout !== undefined) {
      clearTimeout(timer.timeout);
      timer.timeout = undefined;
    }
  },
};
