import type { JsonObject, Node, PowerState, ProvisionState } from '@ironic/driver-base';
import type { NodeRow } from '../db/tables.js';

/**
 * A timestamp as Ironic's API shows it: ISO 8601 with microseconds and an explicit UTC offset
 * (`2016-08-18T22:28:48.643000+00:00`). JavaScript dates carry milliseconds, so the last three digits are 0.
 */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '000+00:00');
}

function optionalTimestamp(date: Date | null): string | null {
  return date ? formatTimestamp(date) : null;
}

/** A `nodes` row as a `Node`. */
export function nodeFromRow(row: NodeRow): Node {
  return {
    uuid: row.uuid,
    name: row.name,
    driver: row.driver,
    driver_info: row.driver_info as JsonObject,
    driver_internal_info: row.driver_internal_info as JsonObject,
    properties: row.properties as JsonObject,
    instance_info: row.instance_info as JsonObject,
    instance_uuid: row.instance_uuid,
    provision_state: row.provision_state as ProvisionState,
    target_provision_state: row.target_provision_state as ProvisionState | null,
    power_state: row.power_state as PowerState | null,
    target_power_state: row.target_power_state as PowerState | null,
    maintenance: row.maintenance,
    maintenance_reason: row.maintenance_reason,
    fault: row.fault,
    reservation: row.reservation,
    last_error: row.last_error,
    clean_step: row.clean_step as JsonObject,
    deploy_step: row.deploy_step as JsonObject,
    raid_config: row.raid_config as JsonObject,
    target_raid_config: row.target_raid_config as JsonObject,
    extra: row.extra as JsonObject,
    automated_clean: row.automated_clean,
    boot_mode: row.boot_mode,
    secure_boot: row.secure_boot,
    conductor_group: row.conductor_group,
    console_enabled: row.console_enabled,
    description: row.description,
    inspection_started_at: optionalTimestamp(row.inspection_started_at),
    inspection_finished_at: optionalTimestamp(row.inspection_finished_at),
    lessee: row.lessee,
    owner: row.owner,
    network_data: row.network_data as JsonObject,
    protected: row.protected,
    protected_reason: row.protected_reason,
    resource_class: row.resource_class,
    retired: row.retired,
    retired_reason: row.retired_reason,
    shard: row.shard,
    traits: row.traits,
    bios_interface: row.bios_interface,
    boot_interface: row.boot_interface,
    console_interface: row.console_interface,
    deploy_interface: row.deploy_interface,
    inspect_interface: row.inspect_interface,
    management_interface: row.management_interface,
    network_interface: row.network_interface,
    power_interface: row.power_interface,
    raid_interface: row.raid_interface,
    rescue_interface: row.rescue_interface,
    storage_interface: row.storage_interface,
    vendor_interface: row.vendor_interface,
    created_at: formatTimestamp(row.created_at),
    updated_at: optionalTimestamp(row.updated_at),
    provision_updated_at: optionalTimestamp(row.provision_updated_at),
  };
}

/** A node of which only some fields were read (a list that shows a few): always its UUID and driver. */
export type PartialNode = Partial<Node> & Pick<Node, 'uuid' | 'driver'>;

const TIMESTAMP_COLUMNS: ReadonlySet<string> = new Set([
  'created_at',
  'updated_at',
  'provision_updated_at',
  'inspection_started_at',
  'inspection_finished_at',
]);

/** Some columns of a `nodes` row as the same fields of a `Node`. */
export function partialNodeFromRow(row: Record<string, unknown>): PartialNode {
  // Without a timestamp the row is already the node's fields as they are shown.
  if (!Object.keys(row).some((column) => TIMESTAMP_COLUMNS.has(column))) return row as PartialNode;
  const node: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    node[column] = TIMESTAMP_COLUMNS.has(column) ? optionalTimestamp(value as Date | null) : value;
  }
  return node as PartialNode;
}
