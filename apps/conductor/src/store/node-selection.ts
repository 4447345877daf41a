import type { Node } from '@ironic/driver-base';
import { type AliasedRawBuilder, sql } from 'kysely';
import type { NodeRow } from '../db/tables.js';

/** The `nodes` columns that are timestamps (`timestamptz`). */
type TimestampColumn =
  | 'inspection_started_at'
  | 'inspection_finished_at'
  | 'created_at'
  | 'updated_at'
  | 'provision_updated_at';

const TIMESTAMP_COLUMNS: ReadonlySet<string> = new Set<TimestampColumn>([
  'inspection_started_at',
  'inspection_finished_at',
  'created_at',
  'updated_at',
  'provision_updated_at',
]);

/**
 * A node's fields, in the order `nodeFromRow` makes them: every column of `nodes` but `id` and
 * `ring_point`, which are never shown.
 */
const NODE_FIELDS = [
  'uuid',
  'name',
  'driver',
  'driver_info',
  'driver_internal_info',
  'properties',
  'instance_info',
  'instance_uuid',
  'provision_state',
  'target_provision_state',
  'power_state',
  'target_power_state',
  'maintenance',
  'maintenance_reason',
  'fault',
  'reservation',
  'last_error',
  'clean_step',
  'deploy_step',
  'raid_config',
  'target_raid_config',
  'extra',
  'automated_clean',
  'boot_mode',
  'secure_boot',
  'conductor_group',
  'console_enabled',
  'description',
  'inspection_started_at',
  'inspection_finished_at',
  'lessee',
  'owner',
  'network_data',
  'protected',
  'protected_reason',
  'resource_class',
  'retired',
  'retired_reason',
  'shard',
  'traits',
  'bios_interface',
  'boot_interface',
  'console_interface',
  'deploy_interface',
  'inspect_interface',
  'management_interface',
  'network_interface',
  'power_interface',
  'raid_interface',
  'rescue_interface',
  'storage_interface',
  'vendor_interface',
  'created_at',
  'updated_at',
  'provision_updated_at',
] as const satisfies readonly (keyof Node & keyof NodeRow)[];

type PlainColumn = Exclude<(typeof NODE_FIELDS)[number], TimestampColumn>;

/**
 * Ironic's timestamp format (see `formatTimestamp`), written by the database: milliseconds, truncated as
 * a JavaScript `Date` holds them, then three zeros of microseconds, in UTC.
 */
const IRONIC_TIMESTAMP = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"000+00:00"'`);

/**
 * What reading nodes by the page selects: a node's fields and no other column, in its order, its
 * timestamps already as text in Ironic's format. Each row then is the node itself (`nodeFromSelectedRow`):
 * no `Date` parsed and formatted again, no copy, which cost a sweep more than reading the rows did.
 */
export const NODE_SELECTION = NODE_FIELDS.map((field) =>
  TIMESTAMP_COLUMNS.has(field)
    ? (sql<string | null>`to_char(${sql.ref(field)} at time zone 'UTC', ${IRONIC_TIMESTAMP})`.as(
        field,
      ) as AliasedRawBuilder<string | null, TimestampColumn>)
    : (field as PlainColumn),
);

/** A row of `NODE_SELECTION`. */
export type SelectedNodeRow = Pick<NodeRow, PlainColumn> & { [K in TimestampColumn]: string | null };

/** A row of `NODE_SELECTION` as the `Node` it already is (the same object). */
export function nodeFromSelectedRow(row: SelectedNodeRow): Node {
  return row as unknown as Node;
}
