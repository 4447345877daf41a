import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { formatTimestamp } from './node-row.js';

/** A conductor as the registry knows it. */
export interface ConductorRecord {
  id: string;
  hostname: string;
  started_at: string;
  last_heartbeat_at: string;
  drivers: string[];
  online: boolean;
  /** Told to stop and finishing its work: out of the hash rings, not yet offline. */
  draining: boolean;
}

/** Options of `new ConductorRegistry(...)`. */
export interface ConductorRegistryOptions {
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/**
 * The `conductors` table: each conductor's liveness heartbeat, and the clean-up of locks held by
 * conductors that stopped heartbeating (Ironic's `_check_deploy_timeouts`' cousin for reservations).
 */
export class ConductorRegistry {
  readonly #db: Kysely<Tables>;
  readonly #now: () => number;

  constructor(db: Kysely<Tables>, options: ConductorRegistryOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  /** Marks this conductor online (not draining) with a fresh start time (a restart replaces the old row). */
  async register(id: string, hostname: string, drivers: readonly string[]): Promise<void> {
    const now = new Date(this.#now());
    const values = {
      hostname,
      started_at: now,
      last_heartbeat_at: now,
      drivers: JSON.stringify(drivers),
      online: true,
      draining: false,
    };
    await this.#db
      .insertInto('conductors')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /** Records that this conductor is alive now. */
  async heartbeat(id: string, hostname: string, drivers: readonly string[]): Promise<void> {
    const now = new Date(this.#now());
    await this.#db
      .insertInto('conductors')
      .values({
        id,
        hostname,
        started_at: now,
        last_heartbeat_at: now,
        drivers: JSON.stringify(drivers),
        online: true,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ last_heartbeat_at: now, online: true }))
      .execute();
  }

  /**
   * Marks a conductor as draining (told to stop): the others drop it from their rings on their next
   * refresh, without waiting for its heartbeat to go stale; its reservations stay its own meanwhile.
   */
  async drain(id: string): Promise<void> {
    await this.#db
      .updateTable('conductors')
      .set({ draining: true, last_heartbeat_at: new Date(this.#now()) })
      .where('id', '=', id)
      .execute();
  }

  /** Marks a conductor offline (a clean shutdown). */
  async unregister(id: string): Promise<void> {
    await this.#db.updateTable('conductors').set({ online: false }).where('id', '=', id).execute();
  }

  /**
   * Clears reservations held by conductors that are offline or whose last heartbeat is older than
   * `timeoutMs`, never those of `selfId`; the count of nodes freed.
   */
  async clearDeadReservations(selfId: string, timeoutMs: number): Promise<number> {
    const cutoff = new Date(this.#now() - timeoutMs);
    const result = await this.#db
      .updateTable('nodes')
      .set({ reservation: null })
      .where('reservation', 'is not', null)
      .where('reservation', '!=', selfId)
      .where('reservation', 'in', (eb) =>
        eb
          .selectFrom('conductors')
          .select('id')
          .where((c) => c.or([c('online', '=', false), c('last_heartbeat_at', '<', cutoff)])),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Every known conductor. */
  async list(): Promise<ConductorRecord[]> {
    const rows = await this.#db.selectFrom('conductors').selectAll().orderBy('id').execute();
    return rows.map((row) => ({
      id: row.id,
      hostname: row.hostname,
      started_at: formatTimestamp(row.started_at),
      last_heartbeat_at: formatTimestamp(row.last_heartbeat_at),
      drivers: row.drivers,
      online: row.online,
      draining: row.draining,
    }));
  }
}
