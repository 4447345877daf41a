import diagnostics from 'node:diagnostics_channel';

/**
 * Counts the HTTP requests in flight in this process as undici reports them on its diagnostics channels
 * (created, then finished or failed): an observer independent of the drivers' own limiters.
 */
export class FleetConcurrencyProbe {
  readonly #inFlight = new Set<object>();
  /** The most requests seen in flight at once. */
  peak = 0;
  /** Requests seen. */
  total = 0;

  readonly #onCreate = (message: unknown) => {
    this.#inFlight.add((message as { request: object }).request);
    this.total += 1;
    this.peak = Math.max(this.peak, this.#inFlight.size);
  };
  readonly #onEnd = (message: unknown) => {
    this.#inFlight.delete((message as { request: object }).request);
  };

  constructor() {
    diagnostics.subscribe('undici:request:create', this.#onCreate);
    diagnostics.subscribe('undici:request:trailers', this.#onEnd);
    diagnostics.subscribe('undici:request:error', this.#onEnd);
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Stops listening. */
  stop(): void {
    diagnostics.unsubscribe('undici:request:create', this.#onCreate);
    diagnostics.unsubscribe('undici:request:trailers', this.#onEnd);
    diagnostics.unsubscribe('undici:request:error', this.#onEnd);
  }
}
