/** One failed attempt, as `retryConnect` reports it before waiting. */
export interface ConnectRetry {
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly error: unknown;
  /** Milliseconds until the next attempt. */
  readonly delayMs: number;
  /** Milliseconds left before giving up. */
  readonly remainingMs: number;
}

/** Options of {@link retryConnect}. */
export interface RetryConnectOptions {
  /** Milliseconds from the first attempt after which a failure is final. */
  readonly timeoutMs: number;
  /** Whether a failure may go away by itself (a refused connection) rather than stay (bad password). */
  readonly isTransient: (error: unknown) => boolean;
  /** Called before each wait. */
  readonly onRetry?: (retry: ConnectRetry) => void;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits `ms`. Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The first wait, doubled after each failure up to {@link MAX_DELAY_MS}. */
export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 5_000;

/**
 * Runs `attempt` until it succeeds, waiting with exponential backoff between transient failures, for at
 * most `timeoutMs`; rejects with the last error once the time is up, or at once for a failure that is
 * not transient.
 */
export async function retryConnect<T>(attempt: () => Promise<T>, options: RetryConnectOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  let delayMs = FIRST_DELAY_MS;
  for (let count = 1; ; count++) {
    try {
      return await attempt();
    } catch (error) {
      const remainingMs = deadline - now();
      if (!options.isTransient(error) || remainingMs <= 0) throw error;
      const wait = Math.min(delayMs, remainingMs);
      options.onRetry?.({ attempt: count, error, delayMs: wait, remainingMs });
      await sleep(wait);
      delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
    }
  }
}
