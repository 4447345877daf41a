import {
  AGENT_TOKEN_KEY,
  type JsonObject,
  type JsonValue,
  MASKED_TOKEN,
  type Node,
} from '@ironic/driver-base';
import { maskUrlCredentials } from '../secrets/url-credentials.js';
import type { PartialNode } from '../store/node-row.js';
import { ApiError } from './ironic-errors.js';
import { MINOR, nodeFieldAllowed } from './microversion.js';

/** A link as Ironic writes them. */
export interface Link {
  href: string;
  rel: 'self' | 'bookmark';
}

/** The `self` and `bookmark` links of a resource path such as `nodes/<uuid>`. */
export function links(baseUrl: string, path: string): Link[] {
  return [
    { href: `${baseUrl}/v1/${path}`, rel: 'self' },
    { href: `${baseUrl}/${path}`, rel: 'bookmark' },
  ];
}

/**
 * The node fields of the API, alphabetical as Ironic shows them after `uuid`, `created_at` and
 * `updated_at` (Ironic's `_get_fields_for_node_query`).
 */
export const NODE_OBJECT_FIELDS = [
  'automated_clean',
  'bios_interface',
  'boot_interface',
  'boot_mode',
  'clean_step',
  'conductor_group',
  'console_enabled',
  'console_interface',
  'deploy_interface',
  'deploy_step',
  'description',
  'driver',
  'driver_info',
  'driver_internal_info',
  'extra',
  'fault',
  'inspection_finished_at',
  'inspection_started_at',
  'inspect_interface',
  'instance_info',
  'instance_uuid',
  'last_error',
  'lessee',
  'maintenance',
  'maintenance_reason',
  'management_interface',
  'name',
  'network_data',
  'network_interface',
  'owner',
  'power_interface',
  'power_state',
  'properties',
  'protected',
  'protected_reason',
  'provision_state',
  'provision_updated_at',
  'raid_config',
  'raid_interface',
  'rescue_interface',
  'reservation',
  'resource_class',
  'retired',
  'retired_reason',
  'secure_boot',
  'shard',
  'storage_interface',
  'target_power_state',
  'target_provision_state',
  'target_raid_config',
  'traits',
  'vendor_interface',
] as const satisfies readonly (keyof Node)[];

/** Fields the API computes rather than stores. */
const API_FIELDS = ['allocation_uuid', 'chassis_uuid', 'conductor'] as const;

/** Every field `fields=` may name. */
export const NODE_QUERY_FIELDS: ReadonlySet<string> = new Set(['uuid', ...API_FIELDS, ...NODE_OBJECT_FIELDS]);

/** The fields of the plain node list (Ironic's `_DEFAULT_RETURN_FIELDS`). */
export const NODE_SUMMARY_FIELDS = [
  'instance_uuid',
  'maintenance',
  'power_state',
  'provision_state',
  'uuid',
  'name',
] as const;

/** Where the views get what is not in the node itself. */
export interface ViewContext {
  /** `http://host:port` of the request, for links. */
  baseUrl: string;
  /** The host shown as `conductor` for nodes whose driver this conductor runs. */
  conductorHost: string;
  /** Whether this conductor runs a driver. */
  hasDriver(name: string): boolean;
  /** The request's minor API version: fields of later versions are left out. */
  minor: number;
}

/**
 * The `fields` query parameter: a comma-separated list of node fields. A field of a later microversion
 * is 406 and an unknown one 400, in that order, as Ironic checks them.
 */
export function parseFields(raw: string | undefined, minor: number): string[] | undefined {
  if (raw === undefined) return undefined;
  if (minor < MINOR.FETCHING_SUBSET_OF_FIELDS)
    throw new ApiError('not-acceptable', 'Request not acceptable.');
  const fields = raw
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (fields.some((field) => !nodeFieldAllowed(field, minor))) {
    throw new ApiError('not-acceptable', 'Request not acceptable.');
  }
  const invalid = fields.find((field) => !NODE_QUERY_FIELDS.has(field));
  if (invalid !== undefined) throw new ApiError('invalid-request', `Field ${invalid} is not a valid field.`);
  return fields;
}

/** A provision state as clients of older microversions know it. */
export function provisionStateAt(state: string | null, minor: number): string | null {
  if (minor < MINOR.AVAILABLE_STATE && state === 'available') return null;
  if (minor < MINOR.INSPECT_WAIT && state === 'inspect wait') return 'inspecting';
  return state;
}

/**
 * A node as `GET /v1/nodes/{id}` shows it at the request's microversion: all of 1.82's fields, or only
 * `fields` (and `links`); secrets masked; fields and links of later versions left out.
 */
export function nodeView(
  node: PartialNode,
  context: ViewContext,
  fields?: readonly string[],
): Record<string, unknown> {
  return nodeViewer(context, fields)(node);
}

/**
 * `nodeView` for many nodes of one request: which fields are shown is worked out once, not per node.
 */
export function nodeViewer(
  context: ViewContext,
  fields?: readonly string[],
): (node: PartialNode) => Record<string, unknown> {
  const wanted = (field: string) =>
    (fields === undefined || fields.includes(field)) && nodeFieldAllowed(field, context.minor);
  const shownFields = ['uuid', 'created_at', 'updated_at', ...NODE_OBJECT_FIELDS].filter(wanted);
  const showsProvisionState = shownFields.includes('provision_state');
  const showsConductor = wanted('conductor') && context.minor >= MINOR.CONDUCTORS;
  const showsAllocation = wanted('allocation_uuid') && context.minor >= MINOR.ALLOCATION;
  const showsChassis = wanted('chassis_uuid');
  return (node) => {
    const record = node as unknown as Record<string, unknown>;
    const view: Record<string, unknown> = {};
    for (const field of shownFields) view[field] = shown(field, record[field] as JsonValue);
    if (showsProvisionState)
      view.provision_state = provisionStateAt(node.provision_state ?? null, context.minor);
    view.links = links(context.baseUrl, `nodes/${node.uuid}`);
    if (showsConductor) view.conductor = context.hasDriver(node.driver) ? context.conductorHost : null;
    // This conductor keeps no allocations or chassis.
    if (showsAllocation) view.allocation_uuid = null;
    if (showsChassis) view.chassis_uuid = null;
    if (fields === undefined) {
      view.ports = links(context.baseUrl, `nodes/${node.uuid}/ports`);
      if (context.minor >= MINOR.LINKS_NODESTATES_DRIVERPROPERTIES) {
        view.states = links(context.baseUrl, `nodes/${node.uuid}/states`);
      }
      if (context.minor >= MINOR.PORTGROUPS_SUBCONTROLLERS) {
        view.portgroups = links(context.baseUrl, `nodes/${node.uuid}/portgroups`);
      }
      if (context.minor >= MINOR.VOLUME) view.volume = links(context.baseUrl, `nodes/${node.uuid}/volume`);
    }
    return view;
  };
}

/** A node as the plain list shows it. */
export function nodeSummaryView(node: Node, context: ViewContext): Record<string, unknown> {
  return nodeView(node, context, NODE_SUMMARY_FIELDS);
}

function shown(field: string, value: JsonValue): JsonValue {
  switch (field) {
    case 'driver_info':
      return maskSecrets(value as JsonObject);
    case 'instance_info': {
      const info = maskSecrets(value as JsonObject);
      // A config drive may be an object, and an image URL a temporary URL with credentials.
      for (const key of ['configdrive', 'image_url']) if (info[key]) info[key] = MASK;
      return info;
    }
    case 'last_error':
      return typeof value === 'string' ? maskUrlCredentials(value) : value;
    case 'driver_internal_info': {
      const info = value as JsonObject;
      return info[AGENT_TOKEN_KEY] ? { ...info, [AGENT_TOKEN_KEY]: MASKED_TOKEN } : info;
    }
    default:
      return value;
  }
}

/** A node's states, as `GET /v1/nodes/{id}/states` shows them at the request's microversion. */
export function nodeStatesView(node: Node, minor: number): Record<string, unknown> {
  const states: Record<string, unknown> = {
    console_enabled: node.console_enabled,
    last_error: node.last_error === null ? null : maskUrlCredentials(node.last_error),
    power_state: node.power_state,
    provision_state: provisionStateAt(node.provision_state, minor),
    target_power_state: node.target_power_state,
    target_provision_state: node.target_provision_state,
    provision_updated_at: node.provision_updated_at,
  };
  if (minor >= MINOR.RAID_CONFIG) {
    states.raid_config = node.raid_config;
    states.target_raid_config = node.target_raid_config;
  }
  if (minor >= MINOR.NODE_BOOT_MODE) {
    states.boot_mode = node.boot_mode;
    states.secure_boot = node.secure_boot;
  }
  return states;
}

/** Substrings of key names whose values Ironic (oslo's `mask_dict_password`) never shows. */
const SECRET_KEY =
  /password|passwd|passphrase|pswd|secret|token|private_key|encrypted_key|configdrive|admin_pass|new_pass|fernetkey|sslkey|cephxkey/i;
const MASK = '******';

/** A dictionary with the values of secret-looking keys replaced by `******`, at any depth. */
export function maskSecrets(dict: JsonObject): JsonObject {
  const masked: JsonObject = {};
  for (const [key, value] of Object.entries(dict)) {
    masked[key] = SECRET_KEY.test(key) && value !== null ? MASK : maskValue(value);
  }
  return masked;
}

function maskValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (Array.isArray(value)) return value.map(maskValue);
  if (typeof value === 'object' && value !== null) return maskSecrets(value);
  return value;
}
