import { type Kysely, sql } from 'kysely';
import type { RingView, Tables } from '../db/tables.js';
import { formatTimestamp } from './node-row.js';

export type { RingView } from '../db/tables.js';

/** A conductor as the registry knows it. */
export interface ConductorRecord {
  id: string;
  hostname: string;
  started_at: string;
  /** Written by the database's clock (`now()`), never a host's. */
  last_heartbeat_at: string;
  drivers: string[];
  online: boolean;
  /** Told to stop and finishing its work: out of the hash rings, not yet offline. */
  draining: boolean;
  /** The ring it acts on, as its last heartbeat published it; null: it claims no node. */
  ring: RingView | null;
}

/** Every conductor row, read with the database's clock at the time of reading. */
export interface RegistrySnapshot {
  /** The database's `now()` when the rows were read (epoch ms): what heartbeat ages are measured on. */
  readonly now: number;
  readonly records: readonly ConductorRecord[];
}

/**
 * The `conductors` table: each conductor's liveness heartbeat and the ring it acts on, and the clean-up
 * of locks held by conductors found dead. Every timestamp here comes from the database's clock, so
 * conductors on hosts whose clocks disagree still agree on who is silent.
 */
export class ConductorRegistry {
  readonly #db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.#db = db;
  }

  /**
   * Marks this conductor online (not draining) with a fresh start time, claiming no node yet (a restart
   * replaces the old row and whatever ring it had published).
   */
  async register(id: string, hostname: string, drivers: readonly string[]): Promise<void> {
    const values = {
      hostname,
      started_at: sql<Date>`now()`,
      last_heartbeat_at: sql<Date>`now()`,
      drivers: JSON.stringify(drivers),
      online: true,
      draining: false,
      ring: null,
    };
    await this.#db
      .insertInto('conductors')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /**
   * Records that this conductor is alive now and publishes the ring it acts on; the database's time of
   * the heartbeat (epoch ms).
   */
  async heartbeat(
    id: string,
    hostname: string,
    drivers: readonly string[],
    ring: RingView | null,
  ): Promise<number> {
    const published = ring === null ? null : JSON.stringify(ring);
    const row = await this.#db
      .insertInto('conductors')
      .values({
        id,
        hostname,
        started_at: sql<Date>`now()`,
        last_heartbeat_at: sql<Date>`now()`,
        drivers: JSON.stringify(drivers),
        online: true,
        ring: published,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ last_heartbeat_at: sql<Date>`now()`, online: true, ring: published }),
      )
      .returning('last_heartbeat_at')
      .executeTakeFirstOrThrow();
    return row.last_heartbeat_at.getTime();
  }

  /**
   * Marks a conductor as draining (told to stop): the others drop it from their rings on their next
   * refresh, without waiting for its heartbeat to go stale; its reservations stay its own meanwhile.
   */
  async drain(id: string): Promise<void> {
    await this.#db
      .updateTable('conductors')
      .set({ draining: true, last_heartbeat_at: sql<Date>`now()`, ring: null })
      .where('id', '=', id)
      .execute();
  }

  /** Marks a conductor offline (a clean shutdown). */
  async unregister(id: string): Promise<void> {
    await this.#db
      .updateTable('conductors')
      .set({ online: false, ring: null })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Clears reservations held by offline conductors and by those of `deadIds` (found dead by the caller's
   * membership) whose heartbeat is still older than `timeoutMs` on the database's clock at the time of the
   * write, never those of `selfId`: a conductor that heartbeated since keeps its locks. The count freed.
   */
  async clearDeadReservations(
    selfId: string,
    deadIds: readonly string[],
    timeoutMs: number,
  ): Promise<number> {
    const cutoff = sql<Date>`now() - make_interval(secs => ${timeoutMs / 1000})`;
    const result = await this.#db
      .updateTable('nodes')
      .set({ reservation: null })
      .where('reservation', 'is not', null)
      .where('reservation', '!=', selfId)
      .where('reservation', 'in', (eb) =>
        eb
          .selectFrom('conductors')
          .select('id')
          .where((c) =>
            c.or([
              c('online', '=', false),
              ...(deadIds.length === 0
                ? []
                : [c.and([c('id', 'in', [...deadIds]), c('last_heartbeat_at', '<', cutoff)])]),
            ]),
          ),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Every known conductor, with the database's clock read just before. */
  async snapshot(): Promise<RegistrySnapshot> {
    const { rows } = await sql<{ now: Date }>`select now() as now`.execute(this.#db);
    const now = (rows[0] as { now: Date }).now.getTime();
    return { now, records: await this.list() };
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
      ring: row.ring,
    }));
  }
}
