import type { ColumnType, Generated, Selectable } from 'kysely';

/** A JSON dictionary column (jsonb): written as JSON text, read back as an object. */
type JsonColumn = ColumnType<Record<string, unknown>, string, string>;
/** A timestamptz column: read as a `Date`, written as a `Date`. */
type Timestamp = ColumnType<Date, Date, Date>;

type NullableTimestamp = ColumnType<Date | null, Date | null, Date | null>;

/** The `nodes` table: one row per node, with Ironic's column names. */
export interface NodesTable {
  /** Creation order (Ironic's `id`), the default list order; never shown. */
  id: Generated<string>;
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
  fault: string | null;
  deploy_step: JsonColumn;
  automated_clean: boolean | null;
  boot_mode: string | null;
  secure_boot: boolean | null;
  conductor_group: string;
  console_enabled: boolean;
  description: string | null;
  inspection_started_at: NullableTimestamp;
  inspection_finished_at: NullableTimestamp;
  lessee: string | null;
  owner: string | null;
  network_data: JsonColumn;
  protected: boolean;
  protected_reason: string | null;
  resource_class: string | null;
  retired: boolean;
  retired_reason: string | null;
  shard: string | null;
  traits: ColumnType<string[], string, string>;
  bios_interface: string | null;
  boot_interface: string | null;
  console_interface: string | null;
  deploy_interface: string | null;
  inspect_interface: string | null;
  management_interface: string | null;
  network_interface: string | null;
  power_interface: string | null;
  raid_interface: string | null;
  rescue_interface: string | null;
  storage_interface: string | null;
  vendor_interface: string | null;
  created_at: Timestamp;
  updated_at: NullableTimestamp;
  provision_updated_at: NullableTimestamp;
}

/** The `ports` table: a node's network interfaces, by MAC address. */
export interface PortsTable {
  uuid: string;
  /** Creation order, the default list order; never shown. */
  id: Generated<string>;
  address: string;
  node_uuid: string;
  extra: JsonColumn;
  internal_info: JsonColumn;
  local_link_connection: JsonColumn;
  pxe_enabled: boolean;
  physical_network: string | null;
  is_smartnic: boolean;
  created_at: Timestamp;
  updated_at: NullableTimestamp;
}

/** A ring as a conductor publishes it: each member's id and the drivers it enables, sorted by id. */
export type RingView = Array<[string, string[]]>;

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
  /** The ring it acts on, published with each heartbeat (`[id, drivers]` pairs); null: it claims nothing. */
  ring: ColumnType<RingView | null, string | null, string | null>;
}

/** Every table the conductor keeps (Kysely's database type). */
export interface Tables {
  nodes: NodesTable;
  ports: PortsTable;
  conductors: ConductorsTable;
}

/** A `nodes` row as read. */
export type NodeRow = Selectable<NodesTable>;
/** A `ports` row as read. */
export type PortRow = Selectable<PortsTable>;
/** A `conductors` row as read. */
export type ConductorRow = Selectable<ConductorsTable>;
