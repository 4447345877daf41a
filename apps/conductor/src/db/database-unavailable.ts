/** Node's error codes of a connection that could not be made or was lost. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // The embedded database's socket is gone.
  'ENOENT',
]);

// node-postgres' own words for a connection lost or never made.
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/**
 * Whether an error (or any error it was caused by) means the database cannot be reached right now:
 * a refused, reset or timed-out connection, or PostgreSQL's connection-exception (`08…`) and
 * shutdown (`57P01`–`57P03`) states. Such a failure is temporary, not the request's fault.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code)) return true;
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
    pending.push(cause);
    if (current instanceof AggregateError) pending.push(...current.errors);
  }
  return false;
}

/** What an API client is told while the database is away: nothing of where it is. */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; please try again later.';

/** What an API client is told while this conductor, back from an outage, has not heartbeated yet. */
export const CONDUCTOR_FENCED_MESSAGE =
  'The conductor is reconnecting to the database after an outage; please try again later.';
