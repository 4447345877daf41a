import { ApiError } from './ironic-errors.js';
import { isUuid } from './node-fields.js';
import { pythonRepr } from './python-repr.js';
import { parseBoolean } from './request-validation.js';

type JsonType = 'string' | 'boolean' | 'object' | 'null';

interface FieldRule {
  readonly types: readonly JsonType[];
  readonly maxLength?: number;
}

const STRING_OR_NULL: FieldRule = { types: ['string', 'null'] };
const OBJECT_OR_NULL: FieldRule = { types: ['object', 'null'] };
const FLAG: FieldRule = { types: ['string', 'boolean', 'null'] };

/** Ironic's `node_schema()`: the fields a node may be created with, and their JSON types. */
const NODE_RULES: Readonly<Record<string, FieldRule>> = {
  automated_clean: FLAG,
  bios_interface: STRING_OR_NULL,
  boot_interface: STRING_OR_NULL,
  boot_mode: STRING_OR_NULL,
  chassis_uuid: STRING_OR_NULL,
  conductor_group: STRING_OR_NULL,
  console_enabled: FLAG,
  console_interface: STRING_OR_NULL,
  deploy_interface: STRING_OR_NULL,
  description: { types: ['string', 'null'], maxLength: 4096 },
  driver: { types: ['string'] },
  driver_info: OBJECT_OR_NULL,
  extra: OBJECT_OR_NULL,
  inspect_interface: STRING_OR_NULL,
  instance_info: OBJECT_OR_NULL,
  instance_uuid: STRING_OR_NULL,
  lessee: STRING_OR_NULL,
  management_interface: STRING_OR_NULL,
  maintenance: FLAG,
  name: STRING_OR_NULL,
  network_data: OBJECT_OR_NULL,
  network_interface: STRING_OR_NULL,
  owner: STRING_OR_NULL,
  power_interface: STRING_OR_NULL,
  properties: OBJECT_OR_NULL,
  raid_interface: STRING_OR_NULL,
  rescue_interface: STRING_OR_NULL,
  resource_class: { types: ['string', 'null'], maxLength: 80 },
  retired: FLAG,
  retired_reason: STRING_OR_NULL,
  secure_boot: FLAG,
  shard: STRING_OR_NULL,
  storage_interface: STRING_OR_NULL,
  uuid: STRING_OR_NULL,
  vendor_interface: STRING_OR_NULL,
};

/** Ironic's `node_patch_schema()`: a patched node may also change `protected`. */
const PATCH_RULES: Readonly<Record<string, FieldRule>> = {
  ...NODE_RULES,
  protected: FLAG,
  protected_reason: STRING_OR_NULL,
};

/** Fields given as strings or booleans that Ironic reads as booleans (`NODE_VALIDATE_EXTRA`). */
const BOOLEANS = ['automated_clean', 'console_enabled', 'maintenance', 'protected', 'retired', 'secure_boot'];
/** Fields that must be UUIDs when given. */
const UUIDS = ['chassis_uuid', 'instance_uuid', 'uuid'];

function typeOf(value: unknown): JsonType | 'number' | 'array' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType | 'number';
}

/**
 * Whether `network_data` is empty or has the three lists of OpenStack's network_data format (`links`,
 * `networks`, `services`); the entries themselves are the deployment's business.
 */
function isNetworkData(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  if (keys.length === 0) return true;
  const lists = ['links', 'networks', 'services'];
  return lists.every((key) => Array.isArray(value[key])) && keys.every((key) => lists.includes(key));
}

function check(body: unknown, rules: Readonly<Record<string, FieldRule>>, what: string, required: string[]) {
  const fail = (message: string): never => {
    throw new ApiError('invalid-request', `Schema error for ${what}: ${message}`);
  };
  if (typeOf(body) !== 'object') fail(`${pythonRepr(body)} is not of type 'object'`);
  const fields = body as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((key) => !Object.hasOwn(rules, key));
  if (unexpected.length > 0) {
    const names = unexpected.map((key) => `'${key}'`).join(', ');
    fail(
      `Additional properties are not allowed (${names} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  for (const name of required) if (!(name in fields)) fail(`'${name}' is a required property`);
  for (const [name, value] of Object.entries(fields)) {
    const rule = rules[name] as FieldRule;
    if (!rule.types.includes(typeOf(value) as JsonType)) {
      fail(`${pythonRepr(value)} is not of type ${rule.types.map((type) => `'${type}'`).join(', ')}`);
    }
    if (rule.maxLength !== undefined && typeof value === 'string' && value.length > rule.maxLength) {
      fail(`${pythonRepr(value)} is too long`);
    }
  }
  const networkData = fields.network_data;
  if (typeOf(networkData) === 'object' && !isNetworkData(networkData as Record<string, unknown>)) {
    const shown = pythonRepr(networkData);
    fail(
      `${shown} is not valid under any of the given schemas. Possible root cause: ${shown} is not of type 'null'`,
    );
  }
  for (const name of BOOLEANS) {
    if (fields[name] !== undefined && fields[name] !== null) fields[name] = parseBoolean(fields[name], name);
  }
  for (const name of UUIDS) {
    const value = fields[name];
    if (typeof value === 'string') {
      if (!isUuid(value)) throw new ApiError('invalid-request', `Expected UUID for ${name}: ${value}`);
      fields[name] = value.toLowerCase();
    }
  }
  return fields;
}

/**
 * Checks a node creation body as Ironic's `node_validator` does (JSON Schema, then booleans and UUIDs),
 * with Ironic's messages; returns the body with booleans and UUIDs normalised.
 */
export function checkNodeBody(body: unknown): Record<string, unknown> {
  return check(structuredClone(body), NODE_RULES, 'node', ['driver']);
}

/** Checks a patched node document as Ironic's `node_patch_validator` does. */
export function checkPatchedNode(document: Record<string, unknown>): Record<string, unknown> {
  const relevant: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document))
    if (Object.hasOwn(PATCH_RULES, key)) relevant[key] = value;
  return check(relevant, PATCH_RULES, 'patch', ['driver']);
}
