import { normalizeRingRanges, RING_POINTS, type RingRange, ringPoint } from '@ironic/driver-base';

/** Options of `new HashRing(...)`. */
export interface HashRingOptions {
  /**
   * Points each member holds on the ring. Many partitions per member keep the load even and make a
   * membership change move about 1/N of the keys (Ironic's `hash_partition_exponent` idea). Default 1024.
   */
  partitionsPerMember?: number;
}

// Points are 32-bit, placed as the database places each node's `ring_point`: one function for both.
const RING_SIZE = RING_POINTS;
const point = ringPoint;

/**
 * A consistent hash ring: keys (node UUIDs) map to members (conductor ids). The same members give the
 * same mapping in every process, so conductors agree on who owns what without talking to each other.
 */
export class HashRing {
  readonly members: readonly string[];
  readonly #points: Uint32Array;
  readonly #owners: string[];
  readonly #ranges = new Map<string, readonly RingRange[]>();

  constructor(members: Iterable<string>, options: HashRingOptions = {}) {
    const partitions = options.partitionsPerMember ?? 1024;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`partitionsPerMember must be a positive integer, got ${partitions}`);
    }
    this.members = [...new Set(members)].sort();
    const entries: Array<[number, string]> = [];
    for (const member of this.members) {
      for (let i = 0; i < partitions; i++) entries.push([point(`${member}#${i}`), member]);
    }
    // Ties (md5 collisions on 32 bits) are broken by member id so every process builds the same ring.
    entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    this.#points = Uint32Array.from(entries, (entry) => entry[0]);
    this.#owners = entries.map((entry) => entry[1]);
  }

  /** The member owning `key`, or undefined when the ring is empty. */
  get(key: string): string | undefined {
    return this.ownerAt(point(key));
  }

  /** The member owning the keys at ring point `target` (`ringPoint` of a key), or undefined when empty. */
  ownerAt(target: number): string | undefined {
    if (this.#owners.length === 0) return undefined;
    let low = 0;
    let high = this.#points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#points[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return this.#owners[low === this.#points.length ? 0 : low];
  }

  /**
   * The ring points whose keys `member` owns, as sorted, merged inclusive ranges: a key is the member's
   * exactly when its point (`ringPoint` of driver-base, the hash `get` uses) lies in one of them. Empty
   * for a member not on the ring.
   */
  rangesOf(member: string): RingRange[] {
    // A ring never changes, and sweeps ask for every page they read: worked out once per member.
    let ranges = this.#ranges.get(member);
    if (!ranges) {
      ranges = this.#computeRangesOf(member);
      this.#ranges.set(member, ranges);
    }
    return [...ranges];
  }

  #computeRangesOf(member: string): RingRange[] {
    const count = this.#points.length;
    const ranges: RingRange[] = [];
    for (let i = 0; i < count; i++) {
      if (this.#owners[i] !== member) continue;
      const at = this.#points[i] as number;
      // Point i owns (point i-1, point i]; the first point also owns the wrap-around past the last one.
      if (i === 0) {
        const last = this.#points[count - 1] as number;
        ranges.push({ from: 0, to: at });
        if (last < RING_SIZE - 1) ranges.push({ from: last + 1, to: RING_SIZE - 1 });
        continue;
      }
      const previous = this.#points[i - 1] as number;
      // Tied points: the earlier of them owns the keys there, this one none.
      if (previous < at) ranges.push({ from: previous + 1, to: at });
    }
    return normalizeRingRanges(ranges);
  }

  /**
   * The fraction of the key space each member owns (its arcs of the ring added up; the fractions sum
   * to 1): what share of uniformly spread keys it is expected to get. Empty for an empty ring.
   */
  arcShares(): Map<string, number> {
    const arcs = new Map<string, number>(this.members.map((member) => [member, 0]));
    const count = this.#points.length;
    if (count === 0) return arcs;
    for (let i = 0; i < count; i++) {
      // A key goes to the first point at or after its hash: point i owns (point i-1, point i], and the
      // first point also owns the wrap-around past the last one.
      const arc =
        i === 0
          ? (this.#points[0] as number) + RING_SIZE - (this.#points[count - 1] as number)
          : (this.#points[i] as number) - (this.#points[i - 1] as number);
      const owner = this.#owners[i] as string;
      arcs.set(owner, (arcs.get(owner) ?? 0) + arc);
    }
    for (const [member, arc] of arcs) arcs.set(member, arc / RING_SIZE);
    return arcs;
  }
}
