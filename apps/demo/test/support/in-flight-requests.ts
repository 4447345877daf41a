import diagnostics from 'node:diagnostics_channel';

const CREATE = 'undici:request:create';
const TRAILERS = 'undici:request:trailers';
const ERROR = 'undici:request:error';

/**
 * The undici requests in flight in this process (drivers calling simulators, simulated agents calling
 * the conductor), as undici reports them: lets a fake-clock step wait for the I/O it started instead of
 * guessing how long a round trip takes.
 */
export class InFlightRequests {
  readonly #inFlight = new Set<object>();
  #waiters: Array<() => void> = [];

  readonly #onCreate = (message: unknown) => {
    this.#inFlight.add((message as { request: object }).request);
  };
  readonly #onEnd = (message: unknown) => {
    this.#inFlight.delete((message as { request: object }).request);
    if (this.#inFlight.size > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  };

  constructor() {
    diagnostics.subscribe(CREATE, this.#onCreate);
    diagnostics.subscribe(TRAILERS, this.#onEnd);
    diagnostics.subscribe(ERROR, this.#onEnd);
  }

  /** Requests in flight now. */
  get size(): number {
    return this.#inFlight.size;
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Stops listening. */
  stop(): void {
    diagnostics.unsubscribe(CREATE, this.#onCreate);
    diagnostics.unsubscribe(TRAILERS, this.#onEnd);
    diagnostics.unsubscribe(ERROR, this.#onEnd);
  }
}
