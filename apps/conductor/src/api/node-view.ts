import type { JsonObject, JsonValue, Node } from '@ironic/driver-base';
import { ApiError } from './ironic-errors.js';

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

/** A node as `GET /v1/nodes/{id}` shows it. */
export type NodeView = Omit<Node, 'driver_info' | 'driver_internal_info' | 'instance_info'> & {
  driver_info: JsonObject;
  driver_internal_info: JsonObject;
  instance_info: JsonObject;
  conductor: string | null;
  console_enabled: false;
  links: Link[];
  states: Link[];
};

/** A node as the plain `GET /v1/nodes` list shows it. */
export type NodeSummaryView = Pick<
  Node,
  'uuid' | 'name' | 'instance_uuid' | 'power_state' | 'provision_state' | 'maintenance'
> & { links: Link[] };

/** The fields of a full node view, in the order shown; `fields=` may name only these. */
export const NODE_FIELDS = [
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
  'reservation',
  'conductor',
  'console_enabled',
  'last_error',
  'clean_step',
  'raid_config',
  'target_raid_config',
  'extra',
  'created_at',
  'updated_at',
  'provision_updated_at',
  'links',
  'states',
] as const;
const NODE_FIELD_SET: ReadonlySet<string> = new Set(NODE_FIELDS);

/** Where the views get what is not in the node itself. */
export interface ViewContext {
  /** `http://host:port` of the request, for links. */
  baseUrl: string;
  /** The host shown as `conductor` for nodes whose driver this conductor runs. */
  conductorHost: string;
  /** Whether this conductor runs a driver. */
  hasDriver(name: string): boolean;
}

/** A node in full, secrets masked, with links. */
export function nodeView(node: Node, context: ViewContext): NodeView {
  return {
    ...node,
    driver_info: maskSecrets(node.driver_info),
    driver_internal_info: maskSecrets(node.driver_internal_info),
    instance_info: maskSecrets(node.instance_info),
    conductor: context.hasDriver(node.driver) ? context.conductorHost : null,
    console_enabled: false,
    links: links(context.baseUrl, `nodes/${node.uuid}`),
    states: links(context.baseUrl, `nodes/${node.uuid}/states`),
  };
}

/** A node as the plain list shows it. */
export function nodeSummaryView(node: Node, context: ViewContext): NodeSummaryView {
  return {
    uuid: node.uuid,
    name: node.name,
    instance_uuid: node.instance_uuid,
    power_state: node.power_state,
    provision_state: node.provision_state,
    maintenance: node.maintenance,
    links: links(context.baseUrl, `nodes/${node.uuid}`),
  };
}

/** A node's states, as `GET /v1/nodes/{id}/states` shows them. */
export function nodeStatesView(node: Node) {
  return {
    power_state: node.power_state,
    target_power_state: node.target_power_state,
    provision_state: node.provision_state,
    target_provision_state: node.target_provision_state,
    last_error: node.last_error,
    console_enabled: false,
    raid_config: node.raid_config,
    target_raid_config: node.target_raid_config,
    provision_updated_at: node.provision_updated_at,
    boot_mode: null,
    secure_boot: null,
  };
}

/**
 * The `fields` query parameter: a comma-separated list of node fields, each checked. `links` is
 * always kept, as Ironic keeps it.
 */
export function parseFields(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const fields = raw
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const invalid = fields.filter((field) => !NODE_FIELD_SET.has(field));
  if (invalid.length > 0) {
    throw new ApiError('invalid-request', `Field(s) "${invalid.join(', ')}" are not valid`);
  }
  return fields.includes('links') ? fields : [...fields, 'links'];
}

/** Only the listed fields of a view. */
export function pickFields(view: object, fields: readonly string[]): Record<string, unknown> {
  const source = view as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (field in source) picked[field] = source[field];
  return picked;
}

// Substrings of key names whose values Ironic (oslo's mask_dict_password) never shows.
const SECRET_KEY = /password|passwd|passphrase|secret|token|private_key|encrypted_key|configdrive/i;
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
  if (Array.isArray(value)) return value.map(maskValue);
  if (typeof value === 'object' && value !== null) return maskSecrets(value);
  return value;
}
