import type { JsonObject } from '@ironic/driver-base';
import type { Port } from '../store/port.js';
import { ApiError, notAcceptable } from './ironic-errors.js';
import { isMacAddress, isUuid, normaliseMac } from './node-fields.js';
import { links } from './node-view.js';
import { pythonRepr } from './python-repr.js';
import { parseBoolean } from './request-validation.js';

/** Port fields and the minor version that introduced each. */
const PORT_FIELD_VERSIONS: Readonly<Record<string, number>> = {
  internal_info: 18,
  pxe_enabled: 19,
  local_link_connection: 19,
  portgroup_uuid: 24,
  physical_network: 34,
  is_smartnic: 53,
};

/** The fields of a port, in the order Ironic shows them. */
const PORT_FIELDS = [
  'uuid',
  'created_at',
  'updated_at',
  'address',
  'extra',
  'internal_info',
  'is_smartnic',
  'local_link_connection',
  'physical_network',
  'pxe_enabled',
  'node_uuid',
] as const;

/** The fields of the plain port list (Ironic's `_DEFAULT_RETURN_FIELDS`). */
export const PORT_SUMMARY_FIELDS = ['uuid', 'address'] as const;

/** Whether a port field exists at this minor version. */
export function portFieldAllowed(field: string, minor: number): boolean {
  return minor >= (PORT_FIELD_VERSIONS[field] ?? 0);
}

/** Refuses (406) port fields a request's microversion does not have. */
export function checkPortFieldVersions(fields: Iterable<string>, minor: number): void {
  for (const field of fields) if (!portFieldAllowed(field, minor)) throw notAcceptable();
}

/** A port as the API shows it at a microversion, all fields or only `fields` (and `links`). */
export function portView(
  port: Port,
  baseUrl: string,
  minor: number,
  fields?: readonly string[],
): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  const record = port as unknown as Record<string, unknown>;
  for (const field of PORT_FIELDS) all[field] = record[field];
  all.links = links(baseUrl, `ports/${port.uuid}`);
  // This conductor keeps no port groups.
  all.portgroup_uuid = null;
  if (fields !== undefined) {
    const invalid = fields.filter((field) => !(field in all));
    if (invalid.length > 0)
      throw new ApiError('invalid-request', `Field(s) "${invalid.join(', ')}" are not valid`);
  }
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (!portFieldAllowed(key, minor)) continue;
    if (fields === undefined || key === 'links' || fields.includes(key)) view[key] = value;
  }
  return view;
}

type Rule = readonly ('string' | 'boolean' | 'object' | 'null')[];

/** Ironic's `PORT_SCHEMA`: the fields a port may be created or patched with. */
const PORT_RULES: Readonly<Record<string, Rule>> = {
  address: ['string'],
  extra: ['object', 'null'],
  is_smartnic: ['string', 'boolean', 'null'],
  local_link_connection: ['null', 'object'],
  node_uuid: ['string'],
  physical_network: ['string', 'null'],
  portgroup_uuid: ['string', 'null'],
  pxe_enabled: ['string', 'boolean', 'null'],
  uuid: ['string', 'null'],
};

const LOCAL_LINK_KEYS = ['switch_id', 'port_id', 'switch_info', 'hostname', 'network_type'];

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Checks a port document as Ironic's `PORT_VALIDATOR` does (schema, then MAC address, UUIDs and
 * booleans); `what` is `port` for a creation and `patch` for a patched port. Returns it normalised.
 */
export function checkPortDocument(body: unknown, what: 'port' | 'patch'): Record<string, unknown> {
  const fail = (message: string): never => {
    throw new ApiError('invalid-request', `Schema error for ${what}: ${message}`);
  };
  if (jsonType(body) !== 'object') fail(`${pythonRepr(body)} is not of type 'object'`);
  const fields = { ...(body as Record<string, unknown>) };
  const extra = Object.keys(fields).filter((key) => !Object.hasOwn(PORT_RULES, key));
  if (extra.length > 0) {
    fail(
      `Additional properties are not allowed (${extra.map((key) => `'${key}'`).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  for (const required of ['address', 'node_uuid'])
    if (!(required in fields)) fail(`'${required}' is a required property`);
  for (const [name, value] of Object.entries(fields)) {
    const rule = PORT_RULES[name] as Rule;
    if (!(rule as readonly string[]).includes(jsonType(value))) {
      fail(`${pythonRepr(value)} is not of type ${rule.map((type) => `'${type}'`).join(', ')}`);
    }
  }
  if (typeof fields.physical_network === 'string' && fields.physical_network.length > 64) {
    fail(`${pythonRepr(fields.physical_network)} is too long`);
  }
  const address = fields.address as string;
  if (!isMacAddress(address))
    throw new ApiError('invalid-request', `Expected valid MAC address for address: ${address}`);
  fields.address = normaliseMac(address);
  for (const name of ['node_uuid', 'portgroup_uuid', 'uuid']) {
    const value = fields[name];
    if (typeof value === 'string') {
      if (!isUuid(value)) throw new ApiError('invalid-request', `Expected UUID for ${name}: ${value}`);
      fields[name] = value.toLowerCase();
    }
  }
  for (const name of ['is_smartnic', 'pxe_enabled']) {
    if (fields[name] !== undefined && fields[name] !== null) fields[name] = parseBoolean(fields[name], name);
  }
  const link = fields.local_link_connection as JsonObject | null | undefined;
  if (link) {
    const unknown = Object.keys(link).filter((key) => !LOCAL_LINK_KEYS.includes(key));
    if (unknown.length > 0) {
      throw new ApiError(
        'invalid-request',
        `Invalid local_link_connection: Additional properties are not allowed ('${unknown.join("', '")}' was unexpected)`,
      );
    }
  }
  return fields;
}
