import type { InterfaceName } from './interface-names.js';
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

/** The field naming a node's implementation of an interface, e.g. `boot_interface`. */
export type InterfaceField = `${InterfaceName}_interface`;

/** The node's chosen implementation of each hardware interface (Ironic's `<interface>_interface`). */
export type NodeInterfaces = { [K in InterfaceField]: string | null };

/**
 * A bare-metal node with Ironic's field names (those of API microversion 1.82). Timestamps are ISO-8601
 * strings, as the API shows them. `reservation` is the id of the conductor holding the node's exclusive
 * lock, or null.
 */
export interface Node extends NodeInterfaces {
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
  /**
   * Why the conductor put the node in maintenance by itself, or null (Ironic's `fault`): `power failure`
   * when the power-state sync gave up on it. Leaving maintenance clears it.
   */
  fault: string | null;
  reservation: string | null;
  last_error: string | null;
  clean_step: JsonObject;
  deploy_step: JsonObject;
  raid_config: JsonObject;
  target_raid_config: JsonObject;
  extra: JsonObject;
  /** Whether cleaning runs when the node is provided or torn down; null: the conductor's default (yes). */
  automated_clean: boolean | null;
  boot_mode: string | null;
  secure_boot: boolean | null;
  conductor_group: string;
  console_enabled: boolean;
  description: string | null;
  inspection_started_at: string | null;
  inspection_finished_at: string | null;
  lessee: string | null;
  owner: string | null;
  network_data: JsonObject;
  protected: boolean;
  protected_reason: string | null;
  resource_class: string | null;
  retired: boolean;
  retired_reason: string | null;
  shard: string | null;
  /** The node's traits (Ironic keeps them sorted). */
  traits: string[];
  created_at: string;
  updated_at: string | null;
  provision_updated_at: string | null;
}

/** The fields a save may change. `provision_updated_at` and `updated_at` are set by the store. */
export type NodeChanges = Partial<
  Omit<Node, 'uuid' | 'reservation' | 'created_at' | 'updated_at' | 'provision_updated_at'>
>;

/** What a new node may be created with: `driver` is required; the rest take Ironic's defaults. */
export type NewNode = Partial<
  Omit<Node, 'created_at' | 'updated_at' | 'provision_updated_at' | 'reservation'>
> & {
  driver: string;
};
