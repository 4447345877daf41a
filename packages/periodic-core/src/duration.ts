import { InvalidDuration } from './errors.js';
import type { Duration } from './types.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)$/;

/**
 * Converts a duration to milliseconds: a finite number ≥ 0 is taken as milliseconds, a string needs a unit
 * (`"250ms"`, `"30s"`, `"5m"`, `"1h"`, decimals allowed). Throws `InvalidDuration` naming `what` otherwise.
 */
export function parseDuration(value: Duration, what = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isNaN(value))
      throw new InvalidDuration(what, value, 'must be a number of milliseconds, not NaN');
    if (!Number.isFinite(value)) throw new InvalidDuration(what, value, 'must be finite');
    if (value < 0) throw new InvalidDuration(what, value, 'must not be negative');
    return value;
  }
  if (typeof value !== 'string') {
    throw new InvalidDuration(what, value, 'must be a number of milliseconds or a string such as "30s"');
  }
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) {
    throw new InvalidDuration(what, value, 'must be a number followed by one of the units ms, s, m, h');
  }
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  return amount * UNIT_MS[unit];
}
