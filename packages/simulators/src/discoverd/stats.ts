import type { DiscoverdStats } from './types.js';

/** Counts requests and the peak number served at once. */
export class StatsRecorder {
  #requests = 0;
  #inFlight = 0;
  #maxConcurrent = 0;
  #byRoute: Record<string, number> = {};
  #startedNodes = 0;
  #aborted = 0;

  /** Records a request arriving on `route`; call {@link requestEnded} once it is answered or dropped. */
  requestStarted(route: string): void {
    this.#requests += 1;
    this.#inFlight += 1;
    this.#maxConcurrent = Math.max(this.#maxConcurrent, this.#inFlight);
    this.#byRoute[route] = (this.#byRoute[route] ?? 0) + 1;
  }

  requestEnded(): void {
    this.#inFlight -= 1;
  }

  introspectionStarted(): void {
    this.#startedNodes += 1;
  }

  introspectionAborted(): void {
    this.#aborted += 1;
  }

  /** Zeroes the counters; requests still in flight stay counted in `inFlight` and the new peak. */
  reset(): void {
    this.#requests = 0;
    this.#maxConcurrent = this.#inFlight;
    this.#byRoute = {};
    this.#startedNodes = 0;
    this.#aborted = 0;
  }

  snapshot(): DiscoverdStats {
    return {
      requests: this.#requests,
      inFlight: this.#inFlight,
      maxConcurrentRequests: this.#maxConcurrent,
      byRoute: { ...this.#byRoute },
      startedNodes: this.#startedNodes,
      aborted: this.#aborted,
    };
  }
}
