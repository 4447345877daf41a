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
  #idleWaiters: Array<() => void> = [];
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
    if (this.#inFlight.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
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

  /**
   * Resolves once no request is in flight: a test on a fake clock waits for the I/O a step started
   * instead of guessing how long a round trip takes.
   */
  idle(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops listening. */
  stop(): void {
    diagnostics.unsubscribe(CREATE, this.#onCreate);
    diagnostics.unsubscribe(TRAILERS, this.#onEnd);
    diagnostics.unsubscribe(ERROR, this.#onEnd);
  }
}
