import diagnostics from 'node:diagnostics_channel';

/**
 * Counts HTTP requests in flight as undici reports them on its diagnostics channels (created, then
 * finished or failed): an observer independent of the driver's own limiter.
 */
export class ConcurrencyProbe {
  #inFlight = new Set<object>();
  peak = 0;
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

  get inFlight(): number {
    return this.#inFlight.size;
  }

  stop(): void {
    diagnostics.unsubscribe('undici:request:create', this.#onCreate);
    diagnostics.unsubscribe('undici:request:trailers', this.#onEnd);
    diagnostics.unsubscribe('undici:request:error', this.#onEnd);
  }
}
