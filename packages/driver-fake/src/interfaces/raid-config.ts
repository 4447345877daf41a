import { InvalidParameterValue, type JsonObject, type RaidConfig } from '@ironic/driver-base';

const RAID_LEVELS = ['JBOD', '0', '1', '2', '5', '6', '1+0', '5+0', '6+0'];
const DISK_FIELDS = new Set([
  'raid_level',
  'size_gb',
  'volume_name',
  'is_root_volume',
  'share_physical_disks',
  'disk_type',
  'interface_type',
  'number_of_physical_disks',
  'controller',
  'physical_disks',
]);

function fail(message: string): never {
  throw new InvalidParameterValue(`RAID config validation error: ${message}`);
}

/** A value as Python prints it, as jsonschema's messages quote it. */
function repr(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === true || value === false) return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  return JSON.stringify(value);
}

function oneOf(value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    fail(`${repr(value)} is not one of [${allowed.map((item) => `'${item}'`).join(', ')}]`);
  }
}

function checkDisk(disk: unknown): void {
  if (typeof disk !== 'object' || disk === null || Array.isArray(disk))
    fail(`${repr(disk)} is not of type 'object'`);
  const fields = disk as JsonObject;
  for (const key of Object.keys(fields)) {
    if (!DISK_FIELDS.has(key)) fail(`Additional properties are not allowed ('${key}' was unexpected)`);
  }
  for (const required of ['raid_level', 'size_gb']) {
    if (!(required in fields)) fail(`'${required}' is a required property`);
  }
  oneOf(fields.raid_level, RAID_LEVELS);
  const size = fields.size_gb;
  if (size !== 'MAX' && !(typeof size === 'number' && Number.isInteger(size) && size >= 0)) {
    fail(`${repr(size)} is not valid under any of the given schemas`);
  }
  for (const flag of ['is_root_volume', 'share_physical_disks']) {
    if (flag in fields && typeof fields[flag] !== 'boolean')
      fail(`${repr(fields[flag])} is not of type 'boolean'`);
  }
  if ('disk_type' in fields) oneOf(fields.disk_type, ['hdd', 'ssd']);
  if ('interface_type' in fields) oneOf(fields.interface_type, ['sata', 'scsi', 'sas']);
  const count = fields.number_of_physical_disks;
  if (count !== undefined && !(typeof count === 'number' && Number.isInteger(count) && count > 0)) {
    fail(`${repr(count)} is less than or equal to the minimum of 0`);
  }
  if ('physical_disks' in fields && !('controller' in fields)) {
    fail("'controller' is a dependency of 'physical_disks'");
  }
}

/**
 * Checks a RAID configuration against Ironic's RAID schema (`raid_config_schema.json`): a non-empty
 * `logical_disks` list whose disks have a known `raid_level` and a `size_gb`, and at most one root volume.
 */
export function validateRaidConfig(config: RaidConfig): void {
  const raw = config as unknown as JsonObject;
  for (const key of Object.keys(raw)) {
    if (key !== 'logical_disks') fail(`Additional properties are not allowed ('${key}' was unexpected)`);
  }
  if (!('logical_disks' in raw)) fail("'logical_disks' is a required property");
  if (!Array.isArray(raw.logical_disks)) fail(`${repr(raw.logical_disks)} is not of type 'array'`);
  if (raw.logical_disks.length === 0) fail('[] is too short');
  raw.logical_disks.forEach(checkDisk);
  const roots = raw.logical_disks.filter((disk) => (disk as JsonObject).is_root_volume === true).length;
  if (roots > 1) {
    throw new InvalidParameterValue(
      `Raid config cannot have more than one root volume. ${roots} root volumes were specified`,
    );
  }
}
