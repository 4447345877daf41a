import { Client, type Dispatcher, Pool } from 'undici';
import type { ResolvedEndpoint } from './endpoint.js';

/** How the per-BMC connection pools are made. */
export interface BmcPoolOptions {
  /** Connections one pool opens at most: the per-BMC request bound, so no socket sits unused. */
  readonly connections: number;
  /** How long an idle connection is kept when the BMC gives no `Keep-Alive: timeout=` of its own. */
  readonly keepAliveTimeoutMs: number;
}

interface PoolEntry {
  readonly pool: Dispatcher;
  users: number;
}

/**
 * One kept-alive set of connections per BMC (origin and TLS settings): the TCP and TLS handshakes are
 * paid once per connection, not per request. A pool is closed when the last client using it goes.
 *
 * One connection is an undici `Client`; several are a `Pool` of them. A `Pool` keeps a request queue
 * of its own (a 2,048-slot array, 16 KB) that a single connection has no use for: over a fleet of
 * BMCs with one connection each, that queue alone would be most of the heap.
 */
export class BmcPools {
  readonly #entries = new Map<string, PoolEntry>();
  #connectionsOpened = 0;

  constructor(readonly options: BmcPoolOptions) {}

  /** The pool of an endpoint; every `acquire` is matched by one `release`. */
  acquire(endpoint: ResolvedEndpoint): Dispatcher {
    let entry = this.#entries.get(endpoint.poolKey);
    if (!entry) {
      const { connections } = this.options;
      const options = {
        // Redfish requests are not idempotent enough to pipeline, and a BMC serves few at once.
        pipelining: 1,
        keepAliveTimeout: this.options.keepAliveTimeoutMs,
        ...(endpoint.tls
          ? {
              connect: {
                rejectUnauthorized: endpoint.tls.rejectUnauthorized ?? true,
                ...(endpoint.tls.ca ? { ca: endpoint.tls.ca } : {}),
              },
            }
          : {}),
      };
      const pool =
        connections === 1
          ? new Client(endpoint.origin, options)
          : new Pool(endpoint.origin, { ...options, connections });
      pool.on('connect', () => {
        this.#connectionsOpened += 1;
      });
      entry = { pool, users: 0 };
      this.#entries.set(endpoint.poolKey, entry);
    }
    entry.users += 1;
    return entry.pool;
  }

  /** Gives a pool back; the last user's release closes it (after its requests end). */
  async release(endpoint: ResolvedEndpoint): Promise<void> {
    const entry = this.#entries.get(endpoint.poolKey);
    if (!entry) return;
    entry.users -= 1;
    if (entry.users > 0) return;
    this.#entries.delete(endpoint.poolKey);
    await entry.pool.close();
  }

  /** Pools open now. */
  get size(): number {
    return this.#entries.size;
  }

  /** TCP connections opened to BMCs so far. */
  get connectionsOpened(): number {
    return this.#connectionsOpened;
  }

  /** Closes every pool. */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => entry.pool.close()));
  }
}
