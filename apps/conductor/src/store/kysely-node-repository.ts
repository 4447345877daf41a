import {
  type NewNode,
  NODE_SORT_KEYS,
  type Node,
  NodeAlreadyExists,
  type NodeChanges,
  NodeLocked,
  NodeNotFound,
  type NodeQuery,
  type NodeRepository,
  newNodeRecord,
  ProvisionState,
  type ReserveResult,
  type RingRangesByDriver,
  ringThresholds,
} from '@ironic/driver-base';
import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import type { NodesTable, Tables } from '../db/tables.js';
import { maskUrlCredentials } from '../secrets/url-credentials.js';
import { afterMarkerRow } from './keyset.js';
import { nodeFromRow, type PartialNode, partialNodeFromRow } from './node-row.js';

/** Options of `new KyselyNodeRepository(...)`. */
export interface KyselyNodeRepositoryOptions {
  /** The clock timestamps come from (epoch ms); a fake one in tests. Default `Date.now`. */
  now?: () => number;
}

const JSON_FIELDS = [
  'driver_info',
  'driver_internal_info',
  'properties',
  'instance_info',
  'clean_step',
  'deploy_step',
  'raid_config',
  'target_raid_config',
  'extra',
  'network_data',
  'traits',
] as const satisfies readonly (keyof NodeChanges)[];
const JSON_FIELD_SET: ReadonlySet<string> = new Set(JSON_FIELDS);
const TIMESTAMP_FIELDS: ReadonlySet<string> = new Set(['inspection_started_at', 'inspection_finished_at']);
const INSPECTING_STATES = [ProvisionState.INSPECTING, ProvisionState.INSPECTWAIT];

const UNIQUE_VIOLATION = '23505';

/** The node fields that are columns of `nodes` (what `listFields` may read). */
const NODE_COLUMNS: ReadonlySet<string> = new Set([
  ...NODE_SORT_KEYS.filter((key) => key !== 'id'),
  ...JSON_FIELDS,
  'protected_reason',
  'retired_reason',
  'inspection_started_at',
  'inspection_finished_at',
]);

/**
 * Nodes in PostgreSQL or PGlite through Kysely. Node locks rest on single conditional statements, so
 * any number of conductors may share one PostgreSQL database.
 */
export class KyselyNodeRepository implements NodeRepository {
  readonly #db: Kysely<Tables>;
  readonly #now: () => number;

  constructor(db: Kysely<Tables>, options: KyselyNodeRepositoryOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  async create(node: NewNode): Promise<Node> {
    const record = newNodeRecord(node, new Date(this.#now()).toISOString());
    const { reservation: _reservation, created_at: _created, updated_at: _updated, ...fields } = record;
    try {
      const row = await this.#db
        .insertInto('nodes')
        .values({
          ...(toColumnValues(fields) as Insertable<NodesTable>),
          reservation: null,
          created_at: new Date(this.#now()),
          updated_at: null,
          provision_updated_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return nodeFromRow(row);
    } catch (error) {
      throw duplicateAsNodeAlreadyExists(error, { uuid: record.uuid, name: record.name });
    }
  }

  async get(ident: string): Promise<Node | undefined> {
    // A UUID match wins over a name match (names that look like UUIDs are refused by the API).
    const row = await this.#db
      .selectFrom('nodes')
      .selectAll()
      .where((eb) => matchesIdent(eb, ident))
      .orderBy(sql`uuid = ${ident}`, 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? nodeFromRow(row) : undefined;
  }

  async list(query: NodeQuery = {}): Promise<Node[]> {
    const rows = await (await this.#listQuery(this.#db.selectFrom('nodes').selectAll(), query)).execute();
    return rows.map(nodeFromRow);
  }

  /**
   * Like `list`, reading only `fields` of each node (and its UUID and driver): a list that shows a few
   * fields of many nodes need not read and parse the rest. Fields that are not columns are ignored.
   */
  async listFields(query: NodeQuery, fields: readonly string[]): Promise<PartialNode[]> {
    const columns = [...new Set(['uuid', 'driver', ...fields.filter((field) => NODE_COLUMNS.has(field))])];
    const select = this.#db.selectFrom('nodes').select(columns as (keyof NodesTable)[]);
    const rows = await (await this.#listQuery(select, query)).execute();
    return rows.map((row) => partialNodeFromRow(row as Record<string, unknown>));
  }

  async #listQuery<O>(
    from: SelectQueryBuilder<Tables, 'nodes', O>,
    query: NodeQuery,
  ): Promise<SelectQueryBuilder<Tables, 'nodes', O>> {
    let select = from;
    if (query.provisionState !== undefined) {
      select = select.where('provision_state', 'in', asArray(query.provisionState));
    }
    if (query.driver !== undefined) select = select.where('driver', 'in', asArray(query.driver));
    if (query.maintenance !== undefined) select = select.where('maintenance', '=', query.maintenance);
    if (query.reserved !== undefined) {
      select = select.where('reservation', query.reserved ? 'is not' : 'is', null);
    }
    if (query.reservedBy !== undefined) select = select.where('reservation', '=', query.reservedBy);
    if (query.ringRanges !== undefined) select = select.where(inRingRanges(query.ringRanges));
    select = applyIronicFilters(select, query);
    const sortKey = query.sortKey ?? 'uuid';
    const sortDir = query.sortDir ?? 'asc';
    if (query.marker !== undefined) select = await this.#afterMarker(select, query.marker, sortKey, sortDir);
    select = select.orderBy(sortKey, sortDir);
    if (sortKey !== 'uuid') select = select.orderBy('uuid', sortDir);
    if (query.limit !== undefined) select = select.limit(query.limit);
    return select;
  }

  async countByProvisionState(): Promise<Partial<Record<ProvisionState, number>>> {
    const rows = await this.#db
      .selectFrom('nodes')
      .select(['provision_state', (eb) => eb.fn.countAll<string | number>().as('count')])
      .groupBy('provision_state')
      .execute();
    const counts: Partial<Record<ProvisionState, number>> = {};
    for (const row of rows) counts[row.provision_state as ProvisionState] = Number(row.count);
    return counts;
  }

  async reserve(ident: string, conductorId: string): Promise<ReserveResult> {
    // The node may be released between a failed reservation and the read that explains it: try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.#db
        .updateTable('nodes')
        .set({ reservation: conductorId })
        .where((eb) => eb.and([matchesIdent(eb, ident), eb('reservation', 'is', null)]))
        .returningAll()
        .executeTakeFirst();
      if (row) return { status: 'reserved', node: nodeFromRow(row) };
      const current = await this.get(ident);
      if (!current) return { status: 'not-found' };
      if (current.reservation !== null) return { status: 'locked', holder: current.reservation };
    }
    const current = await this.get(ident);
    return current ? { status: 'locked', holder: current.reservation ?? 'unknown' } : { status: 'not-found' };
  }

  async release(uuid: string, conductorId: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('nodes')
      .set({ reservation: null })
      .where('uuid', '=', uuid)
      .where('reservation', '=', conductorId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async releaseAll(conductorId: string): Promise<number> {
    const result = await this.#db
      .updateTable('nodes')
      .set({ reservation: null })
      .where('reservation', '=', conductorId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async update(uuid: string, conductorId: string, changes: NodeChanges): Promise<Node> {
    const now = new Date(this.#now());
    // A BMC's URL in an error keeps its user, never its password.
    const values = toColumnValues(
      typeof changes.last_error === 'string'
        ? { ...changes, last_error: maskUrlCredentials(changes.last_error) }
        : changes,
    );
    const setProvisionUpdatedAt =
      changes.provision_state !== undefined
        ? {
            // Compared with the row's old state inside the same statement: set only on a real change.
            provision_updated_at: sql<Date | null>`case when provision_state is distinct from ${changes.provision_state} then ${now} else provision_updated_at end`,
            ...inspectionTimestamps(changes.provision_state, now),
          }
        : {};
    let row: Node | undefined;
    try {
      const updated = await this.#db
        .updateTable('nodes')
        .set({ ...values, ...setProvisionUpdatedAt, updated_at: now })
        .where('uuid', '=', uuid)
        .where('reservation', '=', conductorId)
        .returningAll()
        .executeTakeFirst();
      row = updated ? nodeFromRow(updated) : undefined;
    } catch (error) {
      throw duplicateAsNodeAlreadyExists(error, { uuid, name: changes.name ?? null });
    }
    if (row) return row;
    throw await this.#whyNotHeld(uuid);
  }

  async delete(uuid: string, conductorId: string): Promise<void> {
    const result = await this.#db
      .deleteFrom('nodes')
      .where('uuid', '=', uuid)
      .where('reservation', '=', conductorId)
      .executeTakeFirst();
    if (result.numDeletedRows > 0n) return;
    throw await this.#whyNotHeld(uuid);
  }

  async #whyNotHeld(uuid: string): Promise<NodeLocked | NodeNotFound> {
    const current = await this.get(uuid);
    return current ? new NodeLocked(uuid, current.reservation) : new NodeNotFound(uuid);
  }

  /**
   * Keyset paging: rows strictly after the marker node in `(sortKey, uuid)` order. PostgreSQL sorts
   * NULLs last ascending and first descending, which the conditions follow. Sorted by another key than
   * the UUID, the marker node must exist (`NodeNotFound` otherwise).
   */
  async #afterMarker<O>(
    select: SelectQueryBuilder<Tables, 'nodes', O>,
    marker: string,
    sortKey: NonNullable<NodeQuery['sortKey']>,
    sortDir: 'asc' | 'desc',
  ): Promise<SelectQueryBuilder<Tables, 'nodes', O>> {
    const beyond = sortDir === 'asc' ? '>' : '<';
    // Sorted by UUID the marker's value is the marker itself: paging goes on even if it was deleted.
    if (sortKey === 'uuid') return select.where('uuid', beyond, marker);
    const markerRow = await this.#db
      .selectFrom('nodes')
      .select(['uuid', sortKey])
      .where('uuid', '=', marker)
      .executeTakeFirst();
    if (!markerRow) throw new NodeNotFound(marker);
    const value = (markerRow as Record<string, unknown>)[sortKey];
    return select.where(afterMarkerRow(sortKey, value, markerRow.uuid, sortDir));
  }
}

/**
 * Nodes whose `ring_point` lies in their driver's ranges. `width_bucket` counts the thresholds at or
 * below the point by binary search; an odd count is inside a range (see `ringThresholds`). Written as
 * `<> 0`, which the planner takes for a loose filter (an `= 1` it would take for a rare one, and sort
 * every remaining row for each page rather than walk the UUID index in order).
 */
function inRingRanges(ranges: RingRangesByDriver): RawBuilder<SqlBool> {
  const perDriver = [...ranges]
    .map(([driver, driverRanges]) => [driver, ringThresholds(driverRanges)] as const)
    .filter(([, thresholds]) => thresholds.length > 0)
    .map(
      ([driver, thresholds]) =>
        sql<SqlBool>`(driver = ${driver} and width_bucket(ring_point, ${`{${thresholds.join(',')}}`}::bigint[]) % 2 <> 0)`,
    );
  return perDriver.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(perDriver, sql` or `)})`;
}

function matchesIdent(eb: ExpressionBuilder<Tables, 'nodes'>, ident: string) {
  return eb.or([eb('uuid', '=', ident), eb('name', '=', ident)]);
}

function asArray<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

function json(value: unknown): string {
  return JSON.stringify(value ?? {});
}

function toColumnValues(changes: NodeChanges): Updateable<NodesTable> {
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (field === 'traits') values[field] = json([...(value as string[])].sort());
    else if (JSON_FIELD_SET.has(field)) values[field] = json(value);
    else if (TIMESTAMP_FIELDS.has(field)) values[field] = value === null ? null : new Date(value as string);
    else values[field] = value;
  }
  return values as Updateable<NodesTable>;
}

/**
 * The inspection timestamps a move into `state` sets, as Ironic's database layer does, compared with
 * the row's old state inside the same statement.
 */
function inspectionTimestamps(
  state: ProvisionState,
  now: Date,
): { [K in 'inspection_started_at' | 'inspection_finished_at']?: Date | null | RawBuilder<Date | null> } {
  const wasInspecting = sql<boolean>`provision_state in (${sql.join(INSPECTING_STATES)})`;
  if (state === ProvisionState.INSPECTING)
    return { inspection_started_at: now, inspection_finished_at: null };
  if (state === ProvisionState.MANAGEABLE) {
    return {
      inspection_finished_at: sql<Date | null>`case when ${wasInspecting} then ${now} else inspection_finished_at end`,
      inspection_started_at: sql<Date | null>`case when ${wasInspecting} then null else inspection_started_at end`,
    };
  }
  if (state === ProvisionState.INSPECTFAIL) {
    return {
      inspection_started_at: sql<Date | null>`case when ${wasInspecting} then null else inspection_started_at end`,
    };
  }
  return {};
}

/** Ironic's node list filters, each applied in the database. */
function applyIronicFilters<O>(
  select: SelectQueryBuilder<Tables, 'nodes', O>,
  query: NodeQuery,
): SelectQueryBuilder<Tables, 'nodes', O> {
  let q = select;
  if (query.instanceUuid !== undefined) q = q.where('instance_uuid', '=', query.instanceUuid);
  if (query.associated !== undefined) q = q.where('instance_uuid', query.associated ? 'is not' : 'is', null);
  if (query.resourceClass !== undefined) q = q.where('resource_class', '=', query.resourceClass);
  if (query.conductorGroup !== undefined) {
    q = q.where('conductor_group', '=', query.conductorGroup.toLowerCase());
  }
  if (query.fault !== undefined) q = q.where('fault', '=', query.fault);
  if (query.owner !== undefined) q = q.where('owner', '=', query.owner);
  if (query.lessee !== undefined) q = q.where('lessee', '=', query.lessee);
  if (query.project !== undefined) {
    const project = query.project;
    q = q.where((eb) => eb.or([eb('owner', '=', project), eb('lessee', '=', project)]));
  }
  if (query.retired !== undefined) q = q.where('retired', '=', query.retired);
  if (query.shard !== undefined) {
    q = query.shard.length === 0 ? q.where(sql<boolean>`false`) : q.where('shard', 'in', [...query.shard]);
  }
  if (query.sharded !== undefined) q = q.where('shard', query.sharded ? 'is not' : 'is', null);
  if (query.descriptionContains !== undefined) {
    q = q.where(sql<boolean>`strpos(coalesce(description, ''), ${query.descriptionContains}) > 0`);
  }
  return q;
}

function duplicateAsNodeAlreadyExists(error: unknown, node: { uuid: string; name: string | null }): unknown {
  const failure = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (failure?.code !== UNIQUE_VIOLATION) return error;
  const aboutName =
    failure.constraint === 'nodes_name_unique' ||
    (typeof failure.message === 'string' && failure.message.includes('nodes_name_unique'));
  return aboutName && node.name !== null
    ? new NodeAlreadyExists('name', node.name)
    : new NodeAlreadyExists('uuid', node.uuid);
}
