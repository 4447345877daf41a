import type { FastifyRequest } from 'fastify';
import { notAcceptable } from './ironic-errors.js';

/** The minor versions that introduced what the API gates on (Ironic's `versions.MINOR_*`). */
export const MINOR = {
  AVAILABLE_STATE: 2,
  DRIVER_INTERNAL_INFO: 3,
  MANAGEABLE_STATE: 4,
  NODE_NAME: 5,
  INSPECT_STATE: 6,
  FETCHING_SUBSET_OF_FIELDS: 8,
  PROVISION_STATE_FILTER: 9,
  UNRESTRICTED_NODE_NAME: 10,
  ENROLL_STATE: 11,
  RAID_CONFIG: 12,
  ABORT_VERB: 13,
  LINKS_NODESTATES_DRIVERPROPERTIES: 14,
  MANUAL_CLEAN: 15,
  DRIVER_FILTER: 16,
  ADOPT_VERB: 17,
  PORT_INTERNAL_INFO: 18,
  PORT_ADVANCED_NET_FIELDS: 19,
  RESOURCE_CLASS: 21,
  PORTGROUPS_SUBCONTROLLERS: 24,
  SOFT_POWER_OFF: 27,
  DYNAMIC_DRIVERS: 30,
  DYNAMIC_INTERFACES: 31,
  VOLUME: 32,
  PORT_PHYSICAL_NETWORK: 34,
  NODE_TRAITS: 37,
  RESCUE_INTERFACE: 38,
  INSPECT_WAIT: 39,
  INSPECTION_ABORT: 41,
  FAULT: 42,
  ENABLE_DETAIL_QUERY: 43,
  RESET_INTERFACES: 45,
  NODE_CONDUCTOR_GROUP: 46,
  CONDUCTORS: 49,
  NODE_OWNER: 50,
  ALLOCATION: 52,
  PORT_SMARTNIC: 53,
  NODE_RETIRED: 61,
  NODE_LESSEE: 65,
  DEPLOY_UNDEPLOY_VERBS: 73,
  NODE_BOOT_MODE: 75,
  NODE_SHARD: 82,
} as const;

/** Node fields and the minor version that introduced each (Ironic's `VERSIONED_FIELDS`). */
export const NODE_FIELD_VERSIONS: Readonly<Record<string, number>> = {
  driver_internal_info: 3,
  name: 5,
  inspection_finished_at: 6,
  inspection_started_at: 6,
  clean_step: 7,
  raid_config: 12,
  target_raid_config: 12,
  network_interface: 20,
  resource_class: 21,
  boot_interface: 31,
  console_interface: 31,
  deploy_interface: 31,
  inspect_interface: 31,
  management_interface: 31,
  power_interface: 31,
  raid_interface: 31,
  vendor_interface: 31,
  storage_interface: 33,
  traits: 37,
  rescue_interface: 38,
  bios_interface: 40,
  fault: 42,
  deploy_step: 44,
  conductor_group: 46,
  automated_clean: 47,
  protected: 48,
  protected_reason: 48,
  conductor: 49,
  owner: 50,
  description: 51,
  allocation_uuid: 52,
  retired: 61,
  retired_reason: 61,
  lessee: 65,
  network_data: 66,
  boot_mode: 75,
  secure_boot: 75,
  shard: 82,
};

/** Whether a node field exists at this minor version. */
export function nodeFieldAllowed(field: string, minor: number): boolean {
  return minor >= (NODE_FIELD_VERSIONS[field] ?? 0);
}

/** The node fields that do not exist yet at this minor version. */
export function disallowedNodeFields(minor: number): string[] {
  return Object.entries(NODE_FIELD_VERSIONS)
    .filter(([, since]) => minor < since)
    .map(([field]) => field);
}

/** Refuses with 406 (Ironic's "Request not acceptable.") what the request's version does not have. */
export function requireMinor(request: FastifyRequest, minor: number, sayWhich = false): void {
  if (request.apiMinor < minor) throw notAcceptable(sayWhich ? minor : undefined);
}
