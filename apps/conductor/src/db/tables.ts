import type { ColumnType, Generated, Selectable } from 'kysely';

/** A JSON dictionary column (jsonb): written as JSON text, read back as an object. */
type JsonColumn = ColumnType<Record<string, unknown>, string, string>;
/** A timestamptz column: read as a `Date`, written as a `Date`. */
type Timestamp = ColumnType<Date, Date, Date>;

/** The `nodes` table: one row per node, with Ironic's column names. */
export interface NodesTable {
  uuid: string;
  name: string | null;
  driver: string;
  driver_info: JsonColumn;
  driver_internal_info: JsonColumn;
  properties: JsonColumn;
  instance_info: JsonColumn;
  instance_uuid: string | null;
  provision_state: string;
  target_provision_state: string | null;
  power_state: string | null;
  target_power_state: string | null;
  maintenance: boolean;
  maintenance_reason: string | null;
  reservation: string | null;
  last_error: string | null;
  clean_step: JsonColumn;
  raid_config: JsonColumn;
  target_raid_config: JsonColumn;
  extra: JsonColumn;
  created_at: Timestamp;
  updated_at: ColumnType<Date | null, Date | null, Date | null>;
  provision_updated_at: ColumnType<Date | null, Date | null, Date | null>;
}

/** The `conductors` table: one row per conductor that ever started, with its liveness heartbeat. */
export interface ConductorsTable {
  id: string;
  hostname: string;
  started_at: Timestamp;
  last_heartbeat_at: Timestamp;
  drivers: ColumnType<string[], string, string>;
  online: Generated<boolean>;
  /** Stopping: out of the hash rings, its reservations still its own until it goes offline. */
  draining: Generated<boolean>;
}

/** Every table the conductor keeps (Kysely's database type). */
export interface Tables {
  nodes: NodesTable;
  conductors: ConductorsTable;
}

/** A `nodes` row as read. */
export type NodeRow = Selectable<NodesTable>;
/** A `conductors` row as read. */
export type ConductorRow = Selectable<ConductorsTable>;
