import type { IpaClock } from './types.js';

/** The default clock: wall time and Node's timers. */
export const realIpaClock: IpaClock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
