import { randomUUID } from 'node:crypto';
import { type JsonObject, NodeNotFound } from '@ironic/driver-base';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { PortRow, Tables } from '../db/tables.js';
import { afterMarkerRow } from './keyset.js';
import { formatTimestamp } from './node-row.js';
import {
  type NewPort,
  type Port,
  PortAlreadyExists,
  type PortChanges,
  PortNotFound,
  type PortQuery,
  type PortRepository,
} from './port.js';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const JSON_FIELDS: ReadonlySet<string> = new Set(['extra', 'internal_info', 'local_link_connection']);

function portFromRow(row: PortRow): Port {
  return {
    uuid: row.uuid,
    address: row.address,
    node_uuid: row.node_uuid,
    extra: row.extra as JsonObject,
    internal_info: row.internal_info as JsonObject,
    local_link_connection: row.local_link_connection as JsonObject,
    pxe_enabled: row.pxe_enabled,
    physical_network: row.physical_network,
    is_smartnic: row.is_smartnic,
    created_at: formatTimestamp(row.created_at),
    updated_at: row.updated_at ? formatTimestamp(row.updated_at) : null,
  };
}

function columns(changes: PortChanges): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value !== undefined) values[field] = JSON_FIELDS.has(field) ? JSON.stringify(value) : value;
  }
  return values;
}

/** Ports in PostgreSQL or PGlite; a MAC address is unique across the fleet, a node's ports go with it. */
export class KyselyPortRepository implements PortRepository {
  readonly #db: Kysely<Tables>;
  readonly #now: () => number;

  constructor(db: Kysely<Tables>, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  /** Creates a port; `PortAlreadyExists` for a taken address or UUID, `NodeNotFound` for a missing node. */
  async create(port: NewPort): Promise<Port> {
    const uuid = port.uuid ?? randomUUID();
    try {
      const row = await this.#db
        .insertInto('ports')
        .values({
          uuid,
          address: port.address,
          node_uuid: port.node_uuid,
          extra: JSON.stringify(port.extra ?? {}),
          internal_info: JSON.stringify(port.internal_info ?? {}),
          local_link_connection: JSON.stringify(port.local_link_connection ?? {}),
          pxe_enabled: port.pxe_enabled ?? true,
          physical_network: port.physical_network ?? null,
          is_smartnic: port.is_smartnic ?? false,
          created_at: new Date(this.#now()),
          updated_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return portFromRow(row);
    } catch (error) {
      throw this.#explain(error, uuid, port.address, port.node_uuid);
    }
  }

  /** The port with this UUID; `PortNotFound` otherwise. */
  async get(uuid: string): Promise<Port> {
    const row = await this.#db.selectFrom('ports').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    if (!row) throw new PortNotFound(uuid);
    return portFromRow(row);
  }

  /** Ports matching the query, ordered and paged as it says (default: creation order). */
  async list(query: PortQuery = {}): Promise<Port[]> {
    let select = this.#db.selectFrom('ports').selectAll();
    if (query.nodeUuid !== undefined) select = select.where('node_uuid', '=', query.nodeUuid);
    if (query.address !== undefined) select = select.where('address', '=', query.address);
    const sortKey = query.sortKey ?? 'id';
    const sortDir = query.sortDir ?? 'asc';
    if (query.marker !== undefined) select = await this.#afterMarker(select, query.marker, sortKey, sortDir);
    select = select.orderBy(sortKey, sortDir);
    if (sortKey !== 'uuid') select = select.orderBy('uuid', sortDir);
    if (query.limit !== undefined) select = select.limit(query.limit);
    return (await select.execute()).map(portFromRow);
  }

  /** Applies changes; `PortNotFound`, `PortAlreadyExists` or `NodeNotFound` when they cannot apply. */
  async update(uuid: string, changes: PortChanges): Promise<Port> {
    try {
      const row = await this.#db
        .updateTable('ports')
        .set({ ...columns(changes), updated_at: new Date(this.#now()) })
        .where('uuid', '=', uuid)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new PortNotFound(uuid);
      return portFromRow(row);
    } catch (error) {
      throw this.#explain(error, uuid, changes.address, changes.node_uuid);
    }
  }

  /** Deletes a port; `PortNotFound` when there is none. */
  async delete(uuid: string): Promise<void> {
    const result = await this.#db.deleteFrom('ports').where('uuid', '=', uuid).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new PortNotFound(uuid);
  }

  /**
   * The UUIDs of the nodes having a port with one of these addresses (lower case), as Ironic's lookup
   * asks: the caller decides what none or several mean.
   */
  async nodesWithAddresses(addresses: readonly string[]): Promise<string[]> {
    if (addresses.length === 0) return [];
    const rows = await this.#db
      .selectFrom('ports')
      .select('node_uuid')
      .distinct()
      .where('address', 'in', [...addresses])
      .execute();
    return rows.map((row) => row.node_uuid);
  }

  #explain(error: unknown, uuid: string, address: string | undefined, nodeUuid: string | undefined): unknown {
    const failure = error as { code?: unknown; constraint?: unknown; message?: unknown };
    const text = `${String(failure?.constraint ?? '')} ${String(failure?.message ?? '')}`;
    if (failure?.code === UNIQUE_VIOLATION) {
      return text.includes('address') && address !== undefined
        ? new PortAlreadyExists('address', address)
        : new PortAlreadyExists('uuid', uuid);
    }
    if (failure?.code === FOREIGN_KEY_VIOLATION && nodeUuid !== undefined) return new NodeNotFound(nodeUuid);
    return error;
  }

  /** Keyset paging after the marker port in `(sortKey, uuid)` order; `PortNotFound` for an unknown marker. */
  async #afterMarker<O>(
    select: SelectQueryBuilder<Tables, 'ports', O>,
    marker: string,
    sortKey: NonNullable<PortQuery['sortKey']>,
    sortDir: 'asc' | 'desc',
  ): Promise<SelectQueryBuilder<Tables, 'ports', O>> {
    const markerRow = await this.#db
      .selectFrom('ports')
      .select(['uuid', sortKey])
      .where('uuid', '=', marker)
      .executeTakeFirst();
    if (!markerRow) throw new PortNotFound(marker);
    const value = (markerRow as Record<string, unknown>)[sortKey];
    return select.where(afterMarkerRow(sortKey, value, marker, sortDir));
  }
}
