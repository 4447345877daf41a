import {
  type Driver,
  INTERFACE_NAMES,
  interfaceField,
  type JsonObject,
  type JsonValue,
  type Node,
  type NodeChanges,
  type NodeInterfaces,
  ProvisionState,
  resolveNodeInterfaces,
} from '@ironic/driver-base';
import { ApiError, notAcceptable } from './ironic-errors.js';
import { applyPatch, type PatchOperation, pointerSegments } from './json-patch.js';
import { disallowedNodeFields, MINOR } from './microversion.js';
import { noValidHost } from './node-create.js';
import { checkNodeName } from './node-fields.js';
import { checkPatchedNode } from './node-schema.js';

/** The fields a PATCH may change (Ironic's `PATCH_ALLOWED_FIELDS`). */
export const PATCH_ALLOWED_FIELDS = [
  'automated_clean',
  'bios_interface',
  'boot_interface',
  'chassis_uuid',
  'conductor_group',
  'console_interface',
  'deploy_interface',
  'description',
  'driver',
  'driver_info',
  'extra',
  'inspect_interface',
  'instance_info',
  'instance_uuid',
  'lessee',
  'maintenance',
  'management_interface',
  'name',
  'network_data',
  'network_interface',
  'owner',
  'power_interface',
  'properties',
  'protected',
  'protected_reason',
  'raid_interface',
  'rescue_interface',
  'resource_class',
  'retired',
  'retired_reason',
  'shard',
  'storage_interface',
  'vendor_interface',
] as const;

const DICTIONARIES = ['driver_info', 'extra', 'instance_info', 'properties', 'network_data'] as const;
const S = ProvisionState;

/** Transitional states in which a node may still be updated (Ironic's `UPDATE_ALLOWED_STATES`). */
const UPDATE_ALLOWED_STATES: ReadonlySet<string> = new Set([
  S.DEPLOYFAIL,
  S.INSPECTING,
  S.INSPECTFAIL,
  S.INSPECTWAIT,
  S.CLEANFAIL,
  S.ERROR,
  S.VERIFYING,
  S.ADOPTFAIL,
  S.RESCUEFAIL,
  S.UNRESCUEFAIL,
]);

/** States in which a node's interfaces (and resource class) may change, besides maintenance. */
const INTERFACE_UPDATE_STATES = [S.ENROLL, S.INSPECTING, S.INSPECTWAIT, S.MANAGEABLE, S.AVAILABLE] as const;

/** What a patch is checked against besides the node. */
export interface PatchContext {
  /** The request's minor API version. */
  readonly minor: number;
  /** The node as the client named it, for messages. */
  readonly ident: string;
  /** The drivers this conductor runs. */
  readonly drivers: ReadonlyMap<string, Driver>;
  /** `?reset_interfaces=`: reset the interfaces to the new driver's defaults. */
  readonly resetInterfaces?: boolean;
}

/** The values a patch gives a root path (Ironic's `get_patch_values`: not removals). */
function valuesAt(operations: readonly PatchOperation[], path: string): JsonValue[] {
  return operations.flatMap((operation) =>
    operation.path === path && operation.op !== 'remove' ? [operation.value] : [],
  );
}

/**
 * The checks Ironic's API makes before it reads the node: the patched fields are allowed, exist at the
 * request's microversion, and `reset_interfaces` comes with a driver change.
 */
export function checkPatchRequest(operations: readonly PatchOperation[], context: PatchContext): void {
  for (const operation of operations) {
    const root = pointerSegments(operation.path)[0] as string;
    if (!(PATCH_ALLOWED_FIELDS as readonly string[]).includes(root)) {
      throw new ApiError(
        'invalid-request',
        `Cannot patch ${operation.path}. Only the following can be updated: ${PATCH_ALLOWED_FIELDS.join(', ')}`,
      );
    }
  }
  for (const field of disallowedNodeFields(context.minor)) {
    if (valuesAt(operations, `/${field}`).some(Boolean)) throw notAcceptable();
  }
  if (context.resetInterfaces !== undefined) {
    if (context.minor < MINOR.RESET_INTERFACES) throw notAcceptable();
    if (valuesAt(operations, '/driver').length === 0) {
      throw new ApiError(
        'invalid-request',
        "The reset_interfaces parameter can only be used when changing the node's driver.",
      );
    }
  }
  const description = valuesAt(operations, '/description')[0];
  if (typeof description === 'string' && description.length > 4096) {
    throw new ApiError('invalid-request', 'Cannot update node with description exceeding 4096 characters');
  }
}

/** The node as a patch sees it: every patchable field, with Ironic's empty values. */
function patchableDocument(node: Node): JsonObject {
  const document: JsonObject = {};
  const record = node as unknown as Record<string, JsonValue>;
  for (const field of PATCH_ALLOWED_FIELDS) document[field] = record[field] ?? null;
  document.chassis_uuid = null;
  return document;
}

function checkNodeState(node: Node, operations: readonly PatchOperation[], context: PatchContext): void {
  const removesInstanceOnly =
    operations.length === 1 && operations[0]?.op === 'remove' && operations[0].path === '/instance_uuid';
  if (node.maintenance && removesInstanceOnly) return;
  if (node.target_provision_state && !UPDATE_ALLOWED_STATES.has(node.provision_state)) {
    throw new ApiError(
      'conflict',
      `Node ${context.ident} can not be updated while a state transition is in progress.`,
    );
  }
  if (node.provision_state === S.INSPECTING && context.minor >= MINOR.INSPECT_WAIT) {
    throw new ApiError('conflict', `Cannot update node "${node.uuid}" while it is in state "inspecting".`);
  }
}

/**
 * The changes a JSON Patch makes to a node, checked as Ironic's API and conductor check them: the
 * node's state allows the update, the patched document passes Ironic's node schema, the driver and the
 * interface implementations exist here, `protected`/`retired` follow their rules. The node is not
 * touched; every refusal is Ironic's status and words.
 */
export function nodeChangesFromPatch(
  node: Node,
  operations: readonly PatchOperation[],
  context: PatchContext,
): NodeChanges {
  checkNodeState(node, operations, context);
  for (const name of valuesAt(operations, '/name')) {
    if (context.minor < MINOR.NODE_NAME) throw notAcceptable();
    checkNodeName(
      name,
      context.minor,
      `Node ${context.ident}: Cannot change name to invalid name '%(name)s'`,
    );
  }
  const before = patchableDocument(node);
  const after = checkPatchedNode(applyPatch(before, operations));
  for (const field of DICTIONARIES)
    if (after[field] === null || after[field] === undefined) after[field] = {};
  after.conductor_group =
    typeof after.conductor_group === 'string' ? after.conductor_group.toLowerCase() : '';
  after.protected ??= false;
  after.retired ??= false;
  after.maintenance ??= false;

  const changed = (field: string) =>
    JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null);
  const changes: Record<string, unknown> = {};
  for (const field of PATCH_ALLOWED_FIELDS) if (changed(field)) changes[field] = after[field] ?? null;
  if (changes.chassis_uuid !== undefined) {
    delete changes.chassis_uuid;
    if (after.chassis_uuid) {
      throw new ApiError('invalid-request', `Chassis ${String(after.chassis_uuid)} could not be found.`);
    }
  }

  const driverName = String(after.driver);
  const driver = context.drivers.get(driverName);
  if (!driver || after.conductor_group !== '') throw noValidHost(driverName, String(after.conductor_group));
  if (changes.driver !== undefined && node.console_enabled) {
    throw new ApiError(
      'conflict',
      `Node ${context.ident} can not update the driver while the console is enabled. Please stop the console first.`,
    );
  }
  checkInterfaces(node, driver, after, changes, context);
  checkConductorRules(node, changes);
  return changes as NodeChanges;
}

function checkInterfaces(
  node: Node,
  driver: Driver,
  after: Record<string, unknown>,
  changes: Record<string, unknown>,
  context: PatchContext,
): void {
  const updatingDriver = changes.driver !== undefined;
  let check = updatingDriver;
  const requested: Partial<NodeInterfaces> = {};
  for (const kind of INTERFACE_NAMES) {
    const field = interfaceField(kind);
    if (!(field in changes)) {
      requested[field] = updatingDriver && context.resetInterfaces ? null : node[field];
      continue;
    }
    if (!(INTERFACE_UPDATE_STATES as readonly string[]).includes(node.provision_state) && !node.maintenance) {
      throw new ApiError(
        'conflict',
        `Node ${node.uuid} can not have ${field} updated unless it is in one of allowed (${INTERFACE_UPDATE_STATES.join(', ')}) states or in maintenance mode.`,
      );
    }
    requested[field] = after[field] as string | null;
    check = true;
  }
  if (!check) return;
  const resolved = resolveNodeInterfaces(driver, requested, context.drivers.values());
  for (const kind of INTERFACE_NAMES) {
    const field = interfaceField(kind);
    if (resolved[field] !== node[field]) changes[field] = resolved[field];
    else delete changes[field];
  }
}

/** What Ironic's conductor checks when it saves an update (`update_node`). */
function checkConductorRules(node: Node, changes: Record<string, unknown>): void {
  const after = () => ({ ...node, ...changes }) as Node;
  // Leaving maintenance clears its reason and fault, as Ironic does.
  if (changes.maintenance === false) {
    changes.maintenance_reason = null;
    changes.fault = null;
  }
  if ('protected' in changes) {
    if (!after().protected) changes.protected_reason = null;
    else if (node.provision_state !== S.ACTIVE && node.provision_state !== S.RESCUE) {
      throw new ApiError(
        'conflict',
        `Node ${node.uuid} can only be made protected in provision states 'active' or 'rescue', the current state is '${node.provision_state}'`,
      );
    }
  }
  if ('protected_reason' in changes && after().protected_reason && !after().protected) {
    throw new ApiError(
      'invalid-request',
      'The protected_reason field can only be set when protected is True',
    );
  }
  if ('retired' in changes) {
    if (!after().retired) changes.retired_reason = null;
    else if (node.provision_state === S.AVAILABLE) {
      throw new ApiError(
        'conflict',
        `Node ${node.uuid} can not have 'retired' set in provision state 'available', the current state is '${node.provision_state}'`,
      );
    }
  }
  if ('retired_reason' in changes && after().retired_reason && !after().retired) {
    throw new ApiError('invalid-request', 'The retired_reason field can only be set when retired is True');
  }
  if ('instance_uuid' in changes && after().instance_uuid && node.instance_uuid) {
    throw new ApiError('conflict', `Node ${node.uuid} is associated with instance ${node.instance_uuid}.`);
  }
  if (
    'resource_class' in changes &&
    node.resource_class &&
    !(INTERFACE_UPDATE_STATES as readonly string[]).includes(node.provision_state)
  ) {
    throw new ApiError(
      'conflict',
      `Node ${node.uuid} can not have resource_class updated unless it is in one of allowed (${INTERFACE_UPDATE_STATES.join(', ')}) states.`,
    );
  }
}
