import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Marks an error as thrown by the database layer (a query, or taking a connection). */
const FROM_DATABASE = Symbol.for('@ironic/conductor.fromDatabase');

function mark(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && !(FROM_DATABASE in error)) {
    Object.defineProperty(error, FROM_DATABASE, { value: true });
  }
  return error;
}

/** Whether `error` (or an error it was caused by) came from the database layer. */
export function isFromDatabase(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; typeof current === 'object' && current !== null; ) {
    if (seen.has(current)) return false;
    seen.add(current);
    if (FROM_DATABASE in current) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The pool as Kysely sees it, with every error of taking a connection or running a query marked as the
 * database's: so a refused connection to a BMC, say, is never mistaken for a database outage.
 */
export function markingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw mark(error);
      }
      return {
        query: ((...args: Parameters<pg.PoolClient['query']>) => {
          const result = (client.query as (...a: unknown[]) => unknown)(...args);
          // A cursor (streaming) is returned as it is; a query's promise has its rejection marked.
          return result instanceof Promise
            ? result.catch((error: unknown) => Promise.reject(mark(error)))
            : result;
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}
