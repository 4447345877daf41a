import {
  type Driver,
  type JsonObject,
  type NewNode,
  type NodeInterfaces,
  ProvisionState,
  resolveNodeInterfaces,
} from '@ironic/driver-base';
import { ApiError, notAcceptable } from './ironic-errors.js';
import { disallowedNodeFields, MINOR } from './microversion.js';
import { checkNodeName } from './node-fields.js';
import { checkNodeBody } from './node-schema.js';

/**
 * Ironic's 400 for a node no conductor can serve: its driver is not enabled here, or its conductor
 * group has no conductor (this conductor is in the default group, `""`).
 */
export function noValidHost(driver: string, conductorGroup = ''): ApiError {
  return new ApiError(
    'invalid-request',
    `No valid host was found. Reason: No conductor service registered which supports driver ${driver} for conductor group "${conductorGroup}".`,
  );
}

/** The fields a node may be created with at this microversion: later ones are 406 (Ironic's rule). */
function rejectNewerFields(body: Record<string, unknown>, minor: number): void {
  for (const field of disallowedNodeFields(minor)) {
    const value = body[field];
    if (field === 'name' && value === null) continue;
    const empty = field === 'conductor_group' ? '' : null;
    if (value !== undefined && value !== empty) throw notAcceptable();
  }
}

/**
 * A node creation request checked as Ironic checks it (schema, microversion, name, driver, chassis,
 * conductor group, interface implementations), turned into the node to store: in `enroll` (`available`
 * before 1.11), with the driver's default implementations where none was asked for.
 */
export function newNodeFromRequest(
  body: unknown,
  minor: number,
  drivers: ReadonlyMap<string, Driver>,
): NewNode {
  const fields = checkNodeBody(body);
  rejectNewerFields(fields, minor);
  if (fields.name != null) {
    if (minor < MINOR.NODE_NAME) throw notAcceptable();
    checkNodeName(fields.name, minor, "Cannot create node with invalid name '%(name)s'");
  }
  if (fields.chassis_uuid) {
    throw new ApiError('invalid-request', `Chassis ${String(fields.chassis_uuid)} could not be found.`);
  }
  const conductorGroup =
    typeof fields.conductor_group === 'string' ? fields.conductor_group.toLowerCase() : '';
  const driverName = fields.driver as string;
  const driver = drivers.get(driverName);
  if (!driver || conductorGroup !== '') throw noValidHost(driverName, conductorGroup);
  const interfaces = resolveNodeInterfaces(driver, fields as Partial<NodeInterfaces>, drivers.values());

  const node: NewNode = {
    ...interfaces,
    driver: driverName,
    provision_state: minor < MINOR.ENROLL_STATE ? ProvisionState.AVAILABLE : ProvisionState.ENROLL,
    conductor_group: conductorGroup,
  };
  const record = node as Record<string, unknown>;
  for (const field of ['driver_info', 'extra', 'instance_info', 'properties', 'network_data']) {
    if (fields[field]) record[field] = fields[field] as JsonObject;
  }
  for (const field of [
    'uuid',
    'name',
    'instance_uuid',
    'automated_clean',
    'boot_mode',
    'secure_boot',
    'console_enabled',
    'description',
    'lessee',
    'owner',
    'maintenance',
    'resource_class',
    'retired',
    'retired_reason',
    'shard',
  ]) {
    if (fields[field] !== undefined && fields[field] !== null) record[field] = fields[field];
  }
  return node;
}
