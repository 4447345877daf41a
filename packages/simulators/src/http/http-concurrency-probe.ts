import diagnostics from 'node:diagnostics_channel';

const CREATE = 'undici:request:create';
const TRAILERS = 'undici:request:trailers';
const ERROR = 'undici:request:error';

/**
 * Counts the HTTP requests in flight in this process as undici reports them on its diagnostics channels
 * (created, then finished or failed): an observer of a client's concurrency that is independent of the
 * client's own limiters, so a test can check a bound without trusting the code that enforces it.
 */
export class HttpConcurrencyProbe {
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
    diagnostics.subscribe(CREATE, this.#onCreate);
    diagnostics.subscribe(TRAILERS, this.#onEnd);
    diagnostics.subscribe(ERROR, this.#onEnd);
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Stops listening. */
  stop(): void {
    diagnostics.unsubscribe(CREATE, this.#onCreate);
    diagnostics.unsubscribe(TRAILERS, this.#onEnd);
    diagnostics.unsubscribe(ERROR, this.#onEnd);
  }
}
