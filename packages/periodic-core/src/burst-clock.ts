import type { Clock } from './types.js';

/** A task as the burst clock sees it: whether its runs must be timed with readings of their own. */
export interface BurstTimed {
  /** Set when a group it ran in took `SLOW_GROUP_MS` or more; the worker clears it once it runs fast. */
  timedAlone: boolean;
}

/** How many quick synchronous runs in a row may share one clock reading (the next is timed alone). */
export const SHARED_READING_RUNS = 32;
/** A group of runs that took this long hides a slow run: each of its tasks is timed alone next time. */
export const SLOW_GROUP_MS = 2;

/**
 * The clock readings of one burst of due runs. Reading the clock costs about as much as a no-op task on
 * some hosts (`Date.now()` is 50–150 ns there), so quick synchronous runs in a row share readings: up to
 * `SHARED_READING_RUNS` of them start and finish at the reading taken before the first, and one reading
 * after the last closes the group. A group that took `SLOW_GROUP_MS` or more marks each of its tasks
 * `timedAlone`, so a task that turned slow is timed exactly from its next run on.
 */
export class BurstClock {
  readonly #clock: Clock;
  readonly #group: Array<BurstTimed | undefined> = [];
  #size = 0;
  /** The latest reading: when the next run of the burst starts. */
  now = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Starts a burst with a fresh reading. */
  open(): number {
    this.#size = 0;
    this.now = this.#clock.now();
    return this.now;
  }

  /**
   * Whether the group has room for another run. When it is full, the next run is timed alone: its
   * `readBefore` closes the group. So every path through the worker's dispatch code runs in the very first
   * burst (a path first taken once V8 has optimised that code deoptimises it, and the next burst would then
   * run unoptimised, many times slower); the methods here are free of branches only rare runs would take,
   * for the same reason.
   */
  get room(): boolean {
    return this.#size < SHARED_READING_RUNS;
  }

  /** A run that finished synchronously keeps the current reading as its finish (the caller checked `room`). */
  share(member: BurstTimed): void {
    this.#group[this.#size++] = member;
  }

  /** Takes a fresh reading after a run of `member` (which closes the group it ran in) and returns it. */
  readAfter(member: BurstTimed): number {
    this.#group[this.#size++] = member;
    return this.#read();
  }

  /**
   * Before a run that must be timed alone: takes a fresh reading, closing the group (if any), so the run
   * starts at one. Returns when the run starts.
   */
  readBefore(): number {
    return this.#read();
  }

  /** Ends the burst: closes the group left open, if any. */
  close(): void {
    if (this.#size > 0) this.#read();
  }

  /** Whether the run about to start begins at a reading taken right after the previous run. */
  get fresh(): boolean {
    return this.#size === 0;
  }

  #read(): number {
    const now = this.#clock.now();
    const slow = now - this.now >= SLOW_GROUP_MS;
    const group = this.#group;
    for (let i = 0; i < this.#size; i++) {
      const member = group[i]!;
      member.timedAlone = member.timedAlone || slow;
      group[i] = undefined;
    }
    this.#size = 0;
    this.now = now;
    return now;
  }
}
