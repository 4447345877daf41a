import type { JsonObject, Node, PowerState, ProvisionState } from '@ironic/driver-base';
import type { NodeRow } from '../db/tables.js';

/**
 * A timestamp as Ironic's API shows it: ISO 8601 with microseconds and an explicit UTC offset
 * (`2016-08-18T22:28:48.643000+00:00`). JavaScript dates carry milliseconds, so the last three digits are 0.
 */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '000+00:00');
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
    reservation: row.reservation,
    last_error: row.last_error,
    clean_step: row.clean_step as JsonObject,
    raid_config: row.raid_config as JsonObject,
    target_raid_config: row.target_raid_config as JsonObject,
    extra: row.extra as JsonObject,
    created_at: formatTimestamp(row.created_at),
    updated_at: row.updated_at ? formatTimestamp(row.updated_at) : null,
    provision_updated_at: row.provision_updated_at ? formatTimestamp(row.provision_updated_at) : null,
  };
}
