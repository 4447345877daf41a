import type { Clock } from './types.js';

/** A task as the burst clock sees it: whether its runs must be timed with readings of their own. */
export interface BurstTimed {
  /** Set when a group it ran in took `SLOW_GROUP_MS` or more; the worker clears it once it runs fast. */
  timedAlone: boolean;
}

/** How many quick synchronous runs in a row may share one clock reading. */
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
   * Lets a run that finished synchronously keep the current reading as its finish; false when the group is
   * full (the caller then takes a fresh one with `readAfter`).
   */
  share(member: BurstTimed): boolean {
    if (this.#size >= SHARED_READING_RUNS - 1) return false;
    this.#group[this.#size++] = member;
    return true;
  }

  /** Takes a fresh reading after a run of `member` (which closes the group it ran in) and returns it. */
  readAfter(member: BurstTimed): number {
    const now = this.#clock.now();
    if (this.#size > 0) {
      this.#group[this.#size++] = member;
      this.#close(now);
    }
    this.now = now;
    return now;
  }

  /**
   * Before a run that must be timed alone: closes the group (if any) with a fresh reading, so the run
   * starts at one. Returns when the run starts.
   */
  readBefore(): number {
    if (this.#size > 0) {
      const now = this.#clock.now();
      this.#close(now);
      this.now = now;
    }
    return this.now;
  }

  /** Ends the burst: closes the group left open, if any. */
  close(): void {
    this.readBefore();
  }

  /** Whether the run about to start begins at a reading taken right after the previous run. */
  get fresh(): boolean {
    return this.#size === 0;
  }

  #close(now: number): void {
    const slow = now - this.now >= SLOW_GROUP_MS;
    const group = this.#group;
    for (let i = 0; i < this.#size; i++) {
      if (slow) group[i]!.timedAlone = true;
      group[i] = undefined;
    }
    this.#size = 0;
  }
}
