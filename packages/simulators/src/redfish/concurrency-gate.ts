/** What the gate counts. */
export interface GateCounters {
  readonly requests: number;
  readonly maxConcurrencySeen: number;
  readonly rejected503: number;
  readonly byRoute: Readonly<Record<string, number>>;
}

/** Admits at most `limit` requests at once and counts what it saw, like an iDRAC's web server. */
export class ConcurrencyGate {
  private inFlight = 0;
  private counters = { requests: 0, maxConcurrencySeen: 0, rejected503: 0 };
  private byRoute: Record<string, number> = {};

  constructor(private readonly limit: number) {}

  /** Records an arriving request; `false` means the BMC is busy and must answer 503. */
  tryEnter(route: string): boolean {
    this.counters.requests += 1;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    if (this.inFlight >= this.limit) {
      this.counters.rejected503 += 1;
      return false;
    }
    this.inFlight += 1;
    this.counters.maxConcurrencySeen = Math.max(this.counters.maxConcurrencySeen, this.inFlight);
    return true;
  }

  /** Frees the slot of a request that {@link tryEnter} admitted. */
  leave(): void {
    this.inFlight -= 1;
  }

  get stats(): GateCounters {
    return { ...this.counters, byRoute: { ...this.byRoute } };
  }

  /** Zeroes the counters (requests in flight stay admitted). */
  resetStats(): void {
    this.counters = { requests: 0, maxConcurrencySeen: this.inFlight, rejected503: 0 };
    this.byRoute = {};
  }
}
