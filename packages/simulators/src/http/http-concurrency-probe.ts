import diagnostics from 'node:diagnostics_channel';

const CREATE = 'undici:request:create';
const TRAILERS = 'undici:request:trailers';
const ERROR = 'undici:request:error';

/**
 * Counts the HTTP requests in flight in this process as undici reports them on its diagnostics channels
 * (created, then finished or failed): an observer of a client's concurrency that is independent of the
 * client's own limiters, so a test can check a bound without trusting the code that enforces it.
 */
/** Options of `new HttpConcurrencyProbe(...)`. */
export interface HttpConcurrencyProbeOptions {
  /**
   * Count only requests to these origins (`http://127.0.0.1:5050`, or a URL whose origin is taken):
   * a test checking one client's bound to one server ignores the process's other traffic (a simulator's
   * own calls to an Ironic API, say). Default: every request.
   */
  origins?: readonly string[];
}

export class HttpConcurrencyProbe {
  readonly #inFlight = new Set<object>();
  readonly #origins: ReadonlySet<string> | undefined;
  #idleWaiters: Array<() => void> = [];
  /** The most requests seen in flight at once. */
  peak = 0;
  /** Requests seen. */
  total = 0;

  readonly #onCreate = (message: unknown) => {
    const request = (message as { request: { origin?: unknown } }).request;
    if (this.#origins && !this.#origins.has(originOf(String(request.origin)))) return;
    this.#inFlight.add(request);
    this.total += 1;
    this.peak = Math.max(this.peak, this.#inFlight.size);
  };
  readonly #onEnd = (message: unknown) => {
    if (!this.#inFlight.delete((message as { request: object }).request)) return;
    if (this.#inFlight.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  constructor(options: HttpConcurrencyProbeOptions = {}) {
    this.#origins = options.origins ? new Set(options.origins.map(originOf)) : undefined;
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

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
