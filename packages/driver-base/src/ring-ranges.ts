import crypto from 'node:crypto';

/**
 * Inclusive bounds of ring points, `from` ≤ point ≤ `to`, both integers in [0, 2^32). A node's ring point
 * is {@link ringPoint} of its UUID: what the conductor's hash rings place nodes by.
 */
export interface RingRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The ring ranges each driver's nodes must fall in to be selected, by driver name; a driver missing
 * from the map, or given no ranges, selects none of its nodes.
 */
export type RingRangesByDriver = ReadonlyMap<string, readonly RingRange[]>;

/** One past the last ring point: points are 32-bit. */
export const RING_POINTS = 2 ** 32;

/**
 * Where a key sits on a hash ring: the first 32 bits (big-endian) of its MD5 digest. The database
 * computes the same value for every node (`ring_point`), so a ring's ranges can be selected in SQL.
 */
export function ringPoint(key: string): number {
  return md5Prefix(key);
}

/**
 * The first 32 bits of a key's MD5 digest. Asked for every node a sweep visits: Node's one-shot
 * `crypto.hash` (20.12 and later) costs a third of a `Hash` object's, so it is used where there is one.
 */
const md5Prefix: (key: string) => number =
  typeof crypto.hash === 'function'
    ? (key) => Number.parseInt(crypto.hash('md5', key, 'hex').slice(0, 8), 16)
    : (key) => crypto.createHash('md5').update(key).digest().readUInt32BE(0);

/**
 * Sorted, merged ranges: overlapping or adjacent ranges become one. Rejects bounds that are not
 * integers in [0, 2^32) or a `from` above its `to`.
 */
export function normalizeRingRanges(ranges: readonly RingRange[]): RingRange[] {
  for (const range of ranges) {
    const valid = [range.from, range.to].every((b) => Number.isInteger(b) && b >= 0 && b < RING_POINTS);
    if (!valid || range.from > range.to) {
      throw new RangeError(
        `Invalid ring range [${range.from}, ${range.to}]: bounds must be 0 ≤ from ≤ to < 2^32`,
      );
    }
  }
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const merged: RingRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.to + 1) {
      if (range.to > last.to) merged[merged.length - 1] = { from: last.from, to: range.to };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/**
 * The ranges as ascending thresholds, two per range (`from` and `to + 1`): a point lies in a range when
 * an odd number of thresholds are at or below it. SQL's `width_bucket(point, thresholds)` counts them.
 */
export function ringThresholds(ranges: readonly RingRange[]): number[] {
  return normalizeRingRanges(ranges).flatMap((range) => [range.from, range.to + 1]);
}

/** Whether `point` lies in one of `ranges`. */
export function inRingRanges(point: number, ranges: readonly RingRange[]): boolean {
  return ranges.some((range) => point >= range.from && point <= range.to);
}
