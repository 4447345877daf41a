import { Slots } from './slots.js';

/** Options of `new RequestLimiter(...)`. */
export interface RequestLimiterOptions {
  /** Requests in flight to one BMC at most. */
  maxPerBmc: number;
  /** Requests in flight to all BMCs together at most. */
  maxTotal: number;
}

/** What the limiter has seen since it was created. */
export interface RequestLimiterStats {
  /** Requests running now. */
  readonly inFlight: number;
  /** The most requests that ran at once. */
  readonly peakInFlight: number;
  /** The most requests that ran at once against a single BMC. */
  readonly peakPerBmc: number;
  /** Requests run to the end (successful or not). */
  readonly completed: number;
}

interface BmcSlots {
  readonly slots: Slots;
  /** Requests holding or waiting for this BMC's slots; the entry is dropped at zero. */
  users: number;
  running: number;
}

function checkBound(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`RequestLimiter: ${name} must be an integer >= 1, got ${String(value)}`);
  }
}

/**
 * Bounds requests: at most `maxPerBmc` at once to one BMC and `maxTotal` at once overall. A request
 * first takes its BMC's slot, then a global one, so requests queued behind a busy BMC never hold global
 * slots that requests to idle BMCs could use. A waiting request whose signal aborts leaves the queue.
 */
export class RequestLimiter {
  readonly maxPerBmc: number;
  readonly maxTotal: number;
  readonly #global: Slots;
  readonly #bmcs = new Map<string, BmcSlots>();
  #inFlight = 0;
  #peakInFlight = 0;
  #peakPerBmc = 0;
  #completed = 0;

  constructor(options: RequestLimiterOptions) {
    checkBound('maxPerBmc', options.maxPerBmc);
    checkBound('maxTotal', options.maxTotal);
    this.maxPerBmc = options.maxPerBmc;
    this.maxTotal = options.maxTotal;
    this.#global = new Slots(options.maxTotal);
  }

  /** Runs `work` once a slot for `bmc` (the BMC's address) and a global slot are free. */
  async run<T>(bmc: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const entry = this.#entryFor(bmc);
    entry.users += 1;
    try {
      await entry.slots.acquire(signal);
      try {
        await this.#global.acquire(signal);
        try {
          this.#enter(entry);
          try {
            return await work();
          } finally {
            this.#leave(entry);
          }
        } finally {
          this.#global.release();
        }
      } finally {
        entry.slots.release();
      }
    } finally {
      entry.users -= 1;
      if (entry.users === 0) this.#bmcs.delete(bmc);
    }
  }

  /** Counters for diagnostics and tests. */
  get stats(): RequestLimiterStats {
    return {
      inFlight: this.#inFlight,
      peakInFlight: this.#peakInFlight,
      peakPerBmc: this.#peakPerBmc,
      completed: this.#completed,
    };
  }

  #entryFor(bmc: string): BmcSlots {
    let entry = this.#bmcs.get(bmc);
    if (!entry) {
      entry = { slots: new Slots(this.maxPerBmc), users: 0, running: 0 };
      this.#bmcs.set(bmc, entry);
    }
    return entry;
  }

  #enter(entry: BmcSlots): void {
    entry.running += 1;
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    this.#peakPerBmc = Math.max(this.#peakPerBmc, entry.running);
  }

  #leave(entry: BmcSlots): void {
    entry.running -= 1;
    this.#inFlight -= 1;
    this.#completed += 1;
  }
}
