import { PriorityQueue, type QueueItem } from './priority-queue.js';

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
  readonly entries: Array<T | undefined>;
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
  #size = 0;

  /** How many entries are queued (those of a bucket being shifted no longer count). */
  get size(): number {
    return this.#size;
  }

  /** The earliest due time, or `undefined` when the queue is empty. */
  get nextAt(): number | undefined {
    return this.#heap.peek()?.at;
  }

  /** Queues `entry` at `entry.at`, after every entry already queued for that instant. */
  push(entry: T): void {
    if (entry.slot !== -1) throw new Error('TimerQueue: the entry is already queued');
    const at = entry.at;
    let bucket = this.#last;
    if (bucket === undefined || bucket.at !== at) {
      bucket = this.#byAt.get(at);
      if (bucket === undefined) {
        bucket = { at, entries: [], live: 0, heapIndex: -1 };
        this.#byAt.set(at, bucket);
        this.#heap.push(bucket);
      }
      this.#last = bucket;
    }
    entry.slot = bucket.entries.length;
    bucket.entries.push(entry);
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
    try {
      const entries = bucket.entries;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
        if (entry === undefined) continue;
        entry.slot = -1;
        visit(entry);
      }
    } finally {
      this.#shifting = outer;
    }
    return true;
  }

  /** Takes every queued entry out and returns them, earliest due first (ties in push order). */
  drain(): T[] {
    const drained: T[] = [];
    for (let bucket = this.#heap.pop(); bucket !== undefined; bucket = this.#heap.pop()) {
      for (const entry of bucket.entries) {
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
    if (shifting !== undefined && shifting.at === entry.at && shifting.entries[slot] === entry) return shifting;
    return undefined;
  }

  /** Takes a bucket out of the heap and the index; its entries no longer count in `size`. */
  #drop(bucket: Bucket<T>): void {
    this.#size -= bucket.live;
    this.#heap.remove(bucket);
    this.#byAt.delete(bucket.at);
    if (this.#last === bucket) this.#last = undefined;
  }
}
