import { PriorityQueue, type QueueItem } from './priority-queue.js';

/** How many entries `shiftDue` visits per call of its inner loop. */
const SLICE = 256;

/** Something a `TimerQueue` can hold. */
export interface TimerEntry {
  /** When the entry falls due. It must not change while the entry is queued. */
  readonly at: number;
  /** The entry's index in the bucket of its due time, or -1 when it is not queued. Managed by the queue. */
  slot: number;
}

/** Every entry due at one instant, in the order they were pushed. Holes are entries removed since. */
interface Bucket<T> extends QueueItem {
  readonly at: number;
  /** Slots 0 to `count` − 1 (the array may be longer: it is reused, see `#spare`). */
  readonly entries: Array<T | undefined>;
  count: number;
  /** How many entries are still in it. */
  live: number;
}

/**
 * Timer entries by due time, where entries due at the same instant share one bucket: a heap of the distinct
 * due times, each with a list. N tasks that fall due together cost one heap operation and N appends instead
 * of N heap operations, and a push to the due time pushed to last (a burst of tasks rescheduled one spacing
 * on) is O(1). Removal is O(1) (a hole), plus O(log B) when it empties its bucket. Entries due at one
 * instant come out in the order they were pushed.
 *
 * An entry records only its slot, not its bucket: entries live long and buckets briefly, and a pointer from
 * an old object to a young one is one more thing for every minor garbage collection to trace.
 */
export class TimerQueue<T extends TimerEntry> {
  readonly #heap = new PriorityQueue<Bucket<T>>((a, b) => a.at < b.at);
  readonly #byAt = new Map<number, Bucket<T>>();
  /** The bucket pushed to last, while it is queued. */
  #last: Bucket<T> | undefined;
  /** The bucket `shiftDue` is handing out: out of the heap, but its entries not visited yet are still in. */
  #shifting: Bucket<T> | undefined;
  /**
   * The entries array of the last bucket shifted, emptied, for the next new bucket: a burst of N tasks fills
   * a bucket of N, and writing into an array that already has room costs a seventh of growing a new one.
   */
  #spare: Array<T | undefined> = [];
  #size = 0;
  /** The slot whose visit threw, while `shiftDue` puts the rest back. */
  #failedAt = 0;

  /** How many entries are queued (those of a bucket being shifted no longer count). */
  get size(): number {
    return this.#size;
  }

  /** The earliest due time, or `undefined` when the queue is empty. */
  get nextAt(): number | undefined {
    return this.#heap.peek()?.at;
  }

  /**
   * Queues `entry` at `entry.at`, after every entry already queued for that instant. A caller that has
   * `entry.at` at hand passes it as `at` (it must be the same).
   */
  push(entry: T, at: number = entry.at): void {
    if (entry.slot !== -1) throw new Error('TimerQueue: the entry is already queued');
    let bucket = this.#last;
    if (bucket === undefined || bucket.at !== at) {
      bucket = this.#byAt.get(at);
      if (bucket === undefined) {
        const entries = this.#spare;
        this.#spare = [];
        bucket = { at, entries, count: 0, live: 0, heapIndex: -1 };
        this.#byAt.set(at, bucket);
        this.#heap.push(bucket);
      }
      this.#last = bucket;
    }
    entry.slot = bucket.count;
    bucket.entries[bucket.count++] = entry;
    bucket.live++;
    this.#size++;
  }

  /** Takes `entry` out if it is queued or waiting in the bucket being shifted; returns whether it was. */
  remove(entry: T): boolean {
    const bucket = this.#bucketOf(entry);
    if (bucket === undefined) return false;
    bucket.entries[entry.slot] = undefined;
    entry.slot = -1;
    bucket.live--;
    if (bucket !== this.#shifting) {
      this.#size--;
      if (bucket.live === 0) this.#drop(bucket);
    }
    return true;
  }

  /** Whether `entry` is queued, or waiting in the bucket being shifted. */
  has(entry: T): boolean {
    return this.#bucketOf(entry) !== undefined;
  }

  /**
   * If the earliest bucket is due by `now`, takes it out and hands each of its entries to `visit`, in push
   * order, and returns true. An entry removed by a visit before its turn is not visited; entries pushed
   * during the visits go to a new bucket, even for the same instant (the caller's next call finds it).
   */
  shiftDue(now: number, visit: (entry: T) => void): boolean {
    const bucket = this.#heap.peek();
    if (bucket === undefined || bucket.at > now) return false;
    this.#drop(bucket);
    const outer = this.#shifting;
    this.#shifting = bucket;
    const entries = bucket.entries;
    let i = 0;
    try {
      while (i < bucket.count) i = this.#visitSlice(entries, i, Math.min(bucket.count, i + SLICE), visit);
    } catch (error) {
      i = this.#failedAt;
      throw error;
    } finally {
      this.#shifting = outer;
      // A visit that threw leaves the rest unvisited: they go back, due at once, ahead of anything else.
      if (i < bucket.count) this.#requeue(bucket, i + 1);
      else if (entries.length >= this.#spare.length) this.#spare = entries;
    }
    return true;
  }

  /**
   * Visits `entries[from]` to `entries[to − 1]`; returns `to`. A bucket is visited a slice at a time so that
   * the loop lives in a small function called many times in a burst. V8 then optimises it as a whole, early
   * in the first burst; one long loop would be optimised mid-way (on-stack replacement) before the code
   * after it had ever run, and deoptimised when it got there, leaving the next burst to run unoptimised
   * (its runs ~30× slower).
   */
  #visitSlice(entries: Array<T | undefined>, from: number, to: number, visit: (entry: T) => void): number {
    let i = from;
    try {
      for (; i < to; i++) {
        const entry = entries[i];
        if (entry === undefined) continue;
        entries[i] = undefined;
        entry.slot = -1;
        visit(entry);
      }
    } catch (error) {
      this.#failedAt = i;
      throw error;
    }
    return i;
  }

  /** Takes every queued entry out and returns them, earliest due first (ties in push order). */
  drain(): T[] {
    const drained: T[] = [];
    for (let bucket = this.#heap.pop(); bucket !== undefined; bucket = this.#heap.pop()) {
      for (let i = 0; i < bucket.count; i++) {
        const entry = bucket.entries[i];
        if (entry === undefined) continue;
        entry.slot = -1;
        drained.push(entry);
      }
    }
    this.#byAt.clear();
    this.#last = undefined;
    this.#size = 0;
    return drained;
  }

  /**
   * The bucket holding `entry`: the queued one for its due time, else the one being shifted. (An entry
   * visited by the shift and pushed again sits in a queued bucket; the shifted one still lists it.)
   */
  #bucketOf(entry: T): Bucket<T> | undefined {
    const slot = entry.slot;
    if (slot < 0) return undefined;
    const queued = this.#byAt.get(entry.at);
    if (queued !== undefined && queued.entries[slot] === entry) return queued;
    const shifting = this.#shifting;
    if (shifting !== undefined && shifting.at === entry.at && shifting.entries[slot] === entry)
      return shifting;
    return undefined;
  }

  /** Puts the entries of a shifted bucket from `from` on back in the queue, first among those due then. */
  #requeue(bucket: Bucket<T>, from: number): void {
    const rest: T[] = [];
    for (let i = from; i < bucket.count; i++) {
      const entry = bucket.entries[i];
      if (entry === undefined) continue;
      entry.slot = -1;
      rest.push(entry);
    }
    if (rest.length === 0) return;
    const queued = this.#byAt.get(bucket.at);
    const later = queued === undefined ? [] : this.#takeBucket(queued);
    for (const entry of rest) this.push(entry);
    for (const entry of later) this.push(entry);
  }

  /** Empties a queued bucket and returns its entries. */
  #takeBucket(bucket: Bucket<T>): T[] {
    this.#drop(bucket);
    const taken: T[] = [];
    for (let i = 0; i < bucket.count; i++) {
      const entry = bucket.entries[i];
      if (entry === undefined) continue;
      entry.slot = -1;
      taken.push(entry);
    }
    return taken;
  }

  /** Takes a bucket out of the heap and the index; its entries no longer count in `size`. */
  #drop(bucket: Bucket<T>): void {
    this.#size -= bucket.live;
    this.#heap.remove(bucket);
    this.#byAt.delete(bucket.at);
    if (this.#last === bucket) this.#last = undefined;
  }
}
