import type { ProvisionState } from './provision-states.js';

/** Ironic's power states. `null` means not known yet (a freshly enrolled node). */
export type PowerState = 'power on' | 'power off' | 'error';

/** A JSON object, as Ironic keeps `driver_info`, `properties` and the other dictionaries. */
export type JsonObject = { [key: string]: JsonValue };
/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A clean step as Ironic's API takes it: `{interface, step, args}`. */
export interface CleanStep {
  interface: string;
  step: string;
  args?: JsonObject;
  priority?: number;
}

/**
 * A bare-metal node with Ironic's field names. Timestamps are ISO-8601 strings, as the API shows them.
 * `reservation` is the id of the conductor holding the node's exclusive lock, or null.
 */
export interface Node {
  uuid: string;
  name: string | null;
  driver: string;
  driver_info: JsonObject;
  driver_internal_info: JsonObject;
  properties: JsonObject;
  instance_info: JsonObject;
  instance_uuid: string | null;
  provision_state: ProvisionState;
  target_provision_state: ProvisionState | null;
  power_state: PowerState | null;
  target_power_state: PowerState | null;
  maintenance: boolean;
  maintenance_reason: string | null;
  reservation: string | null;
  last_error: string | null;
  clean_step: JsonObject;
  raid_config: JsonObject;
  target_raid_config: JsonObject;
  extra: JsonObject;
  created_at: string;
  updated_at: string | null;
  provision_updated_at: string | null;
}

/** The fields a save may change. `provision_updated_at` and `updated_at` are set by the store. */
export type NodeChanges = Partial<
  Pick<
    Node,
    | 'name'
    | 'driver'
    | 'driver_info'
    | 'driver_internal_info'
    | 'properties'
    | 'instance_info'
    | 'instance_uuid'
    | 'provision_state'
    | 'target_provision_state'
    | 'power_state'
    | 'target_power_state'
    | 'maintenance'
    | 'maintenance_reason'
    | 'last_error'
    | 'clean_step'
    | 'raid_config'
    | 'target_raid_config'
    | 'extra'
  >
>;

/** What a new node may be created with: `driver` is required; the rest take Ironic's defaults. */
export type NewNode = Partial<
  Omit<Node, 'created_at' | 'updated_at' | 'provision_updated_at' | 'reservation'>
> & {
  driver: string;
};
