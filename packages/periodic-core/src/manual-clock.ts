import type { Clock, TimerHandle } from './types.js';

interface ManualTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** How many event-loop turns `settle()` lets pass by default. */
const DEFAULT_SETTLE_TURNS = 20;
/** Guards `advance` against a timer that keeps re-arming itself at the current instant. */
const MAX_FIRINGS_PER_ADVANCE = 1_000_000;

/**
 * A fake `Clock` for tests: time stands still until `advance`/`advanceTo` moves it. Due timers fire in time
 * order (ties in the order they were set), and between firings the event loop turns a few times so promise
 * chains and loopback I/O started by a callback can progress before the next one fires.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: ManualTimer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  /** The current fake time (ms). */
  now(): number {
    return this.#now;
  }

  /** Sets a timer `delayMs` from now (negative delays count as 0). */
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: ManualTimer = { id: this.#nextId++, at: this.#now + Math.max(0, delayMs), callback };
    // Insert after every timer due at the same time or earlier: equal times fire in the order they were set.
    let index = this.#timers.length;
    while (index > 0 && this.#timers[index - 1]!.at > timer.at) index--;
    this.#timers.splice(index, 0, timer);
    return timer.id;
  }

  /** Cancels a timer; unknown or already-fired handles are ignored. */
  clearTimer(handle: TimerHandle): void {
    const index = this.#timers.findIndex((timer) => timer.id === handle);
    if (index >= 0) this.#timers.splice(index, 1);
  }

  /** How many timers are set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** When the earliest pending timer is due, or `undefined` if none is set. */
  get nextTimerAt(): number | undefined {
    return this.#timers[0]?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs a non-negative number of ms, got ${ms}`);
    await this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `t` (epoch ms), firing every timer due at or before it, in time order. */
  async advanceTo(t: number): Promise<void> {
    if (!(t >= this.#now)) {
      throw new RangeError(`ManualClock.advanceTo cannot go back in time: now ${this.#now}, asked ${t}`);
    }
    await this.settle();
    for (let fired = 0; ; fired++) {
      const next = this.#timers[0];
      if (!next || next.at > t) break;
      if (fired >= MAX_FIRINGS_PER_ADVANCE) {
        throw new Error(
          `ManualClock fired ${fired} timers without reaching ${t}: a timer keeps re-arming at once`,
        );
      }
      this.#timers.shift();
      this.#now = next.at;
      next.callback();
      await this.settle();
    }
    this.#now = t;
    await this.settle();
  }

  /** Fires the next pending timer (moving time to it), if any; returns whether one fired. */
  async runNext(): Promise<boolean> {
    const next = this.#timers[0];
    if (!next) return false;
    await this.advanceTo(next.at);
    return true;
  }

  /** Lets the event loop turn `turns` times (promise chains settle, ready I/O callbacks run). */
  async settle(turns = DEFAULT_SETTLE_TURNS): Promise<void> {
    await settle(turns);
  }
}

/** Lets the event loop turn `turns` times so pending promise chains and ready I/O callbacks run. */
export async function settle(turns = DEFAULT_SETTLE_TURNS): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
