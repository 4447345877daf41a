import type { JsonObject, JsonValue, Node, NodeChanges } from '@ironic/driver-base';
import { ApiError } from './ironic-errors.js';
import { applyPatch, type PatchOperation, pointerSegments } from './json-patch.js';
import { checkInstanceUuid, checkNodeName } from './node-fields.js';

/** Fields a PATCH may change, with the value a `remove` of the whole field restores. */
const PATCHABLE: Readonly<Record<string, JsonValue>> = {
  name: null,
  driver: null,
  driver_info: {},
  properties: {},
  instance_info: {},
  extra: {},
  instance_uuid: null,
  maintenance: false,
  maintenance_reason: null,
};

/** Fields the conductor alone writes; Ironic refuses patching them. */
const INTERNAL = new Set([
  'uuid',
  'provision_state',
  'target_provision_state',
  'power_state',
  'target_power_state',
  'reservation',
  'conductor',
  'console_enabled',
  'last_error',
  'driver_internal_info',
  'clean_step',
  'raid_config',
  'target_raid_config',
  'created_at',
  'updated_at',
  'provision_updated_at',
  'links',
  'states',
]);

const DICTIONARIES = ['driver_info', 'properties', 'instance_info', 'extra'] as const;

/**
 * The changes a JSON Patch makes to a node, checked as Ironic checks them: internal fields and unknown
 * root attributes are refused, and the patched fields must keep their types. The node is not touched.
 */
export function nodeChangesFromPatch(
  node: Readonly<Node>,
  operations: readonly PatchOperation[],
  driverEnabled: (name: string) => boolean,
): NodeChanges {
  for (const operation of operations) {
    const root = pointerSegments(operation.path)[0]!;
    if (INTERNAL.has(root)) {
      throw new ApiError('invalid-request', `'/${root}' is an internal attribute and can not be updated`);
    }
    if (!Object.hasOwn(PATCHABLE, root)) {
      throw new ApiError(
        'invalid-request',
        `Adding a new attribute (/${root}) to the root of the resource is not allowed.`,
      );
    }
  }
  const before: JsonObject = {};
  for (const field of Object.keys(PATCHABLE)) before[field] = (node as unknown as JsonObject)[field] ?? null;
  const after = applyPatch(before, operations);
  for (const [field, fallback] of Object.entries(PATCHABLE)) {
    if (!Object.hasOwn(after, field)) after[field] = structuredClone(fallback);
  }
  return checkedChanges(before, after, driverEnabled);
}

function checkedChanges(
  before: JsonObject,
  after: JsonObject,
  driverEnabled: (name: string) => boolean,
): NodeChanges {
  const changes: NodeChanges = {};
  const changed = (field: string) => JSON.stringify(before[field]) !== JSON.stringify(after[field]);
  if (changed('name')) changes.name = checkNodeName(after.name, 'name');
  if (changed('driver')) {
    const driver = after.driver;
    if (typeof driver !== 'string' || driver === '') {
      throw new ApiError('invalid-request', 'driver must be a non-empty string');
    }
    if (!driverEnabled(driver)) {
      throw new ApiError(
        'invalid-request',
        `No valid host was found. Reason: No conductor service registered which supports driver ${driver}.`,
      );
    }
    changes.driver = driver;
  }
  for (const field of DICTIONARIES) {
    if (!changed(field)) continue;
    const value = after[field];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ApiError('invalid-request', `${field} must be a dictionary`);
    }
    changes[field] = value;
  }
  if (changed('instance_uuid')) changes.instance_uuid = checkInstanceUuid(after.instance_uuid);
  if (changed('maintenance')) {
    if (typeof after.maintenance !== 'boolean')
      throw new ApiError('invalid-request', 'maintenance must be a boolean');
    changes.maintenance = after.maintenance;
    // Leaving maintenance clears its reason, as Ironic does.
    if (!after.maintenance) changes.maintenance_reason = null;
  }
  if (changed('maintenance_reason') && changes.maintenance_reason === undefined) {
    const reason = after.maintenance_reason;
    if (reason !== null && typeof reason !== 'string') {
      throw new ApiError('invalid-request', 'maintenance_reason must be a string or null');
    }
    changes.maintenance_reason = reason;
  }
  return changes;
}
