import type { DriverServices } from '@ironic/driver-base';
import type { DelayRange } from './options.js';

/** Waits out an operation's delay on a clock (a fake one in tests). */
export type Delay = () => Promise<void>;

/**
 * A delay as Ironic's fake interfaces sleep: none for `0`, exactly `min` for a fixed delay, otherwise a
 * triangular random draw between `min` and `max`, weighted towards `min`.
 */
export function makeDelay(
  range: DelayRange,
  clock: DriverServices['clock'],
  random: () => number = Math.random,
): Delay {
  if (range.max === 0) return async () => {};
  return () => {
    const seconds = range.min === range.max ? range.min : triangular(range.min, range.max, random());
    return new Promise<void>((resolve) => {
      clock.setTimer(resolve, seconds * 1000);
    });
  };
}

/** Python's `random.triangular(low, high, mode=low)` for a uniform draw `u`. */
function triangular(low: number, high: number, u: number): number {
  return high - (high - low) * Math.sqrt(1 - u);
}
