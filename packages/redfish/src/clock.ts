/**
 * Time as the client sees it: the current time and timers. Structurally the `Clock` of
 * `@ironic/periodic-core`, so a test's `ManualClock` moves task-monitor waits without sleeping.
 */
export interface RedfishClock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** `Date.now()` and `setTimeout`. */
export const systemClock: RedfishClock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Waits `delayMs` on `clock`; rejects with the signal's reason when it aborts first. */
export function sleep(clock: RedfishClock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimer(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
