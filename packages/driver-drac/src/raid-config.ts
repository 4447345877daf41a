import { InvalidParameterValue, type LogicalDisk, type RaidConfig } from '@ironic/driver-base';
import {
  describeDiskCount,
  diskCountFits,
  IRONIC_RAID_LEVELS,
  raidLevelRule,
  SUPPORTED_RAID_LEVELS,
} from './raid-levels.js';

const LOGICAL_DISK_FIELDS = new Set([
  'size_gb',
  'raid_level',
  'is_root_volume',
  'volume_name',
  'controller',
  'physical_disks',
  'share_physical_disks',
  'disk_type',
  'interface_type',
  'number_of_physical_disks',
]);
const DISK_TYPES = ['hdd', 'ssd'];
const INTERFACE_TYPES = ['sata', 'scsi', 'sas'];

function invalid(where: string, problem: string): InvalidParameterValue {
  return new InvalidParameterValue(`RAID config validation error: ${where}: ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function checkOneOf(where: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalid(where, `${shown(value)} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
}

function checkBoolean(where: string, value: unknown): void {
  if (typeof value !== 'boolean') throw invalid(where, `${shown(value)} is not a boolean`);
}

function checkLogicalDisk(raw: unknown, index: number): LogicalDisk {
  const at = `logical_disks[${index}]`;
  if (!isObject(raw)) throw invalid(at, 'each logical disk must be an object');
  for (const key of Object.keys(raw)) {
    if (!LOGICAL_DISK_FIELDS.has(key)) throw invalid(`${at}.${key}`, 'is not a logical disk property');
  }
  if (raw.size_gb === undefined) throw invalid(`${at}.size_gb`, 'is required');
  if (raw.size_gb !== 'MAX' && !(Number.isInteger(raw.size_gb) && (raw.size_gb as number) > 0)) {
    throw invalid(`${at}.size_gb`, `${shown(raw.size_gb)} is neither a positive integer nor "MAX"`);
  }
  if (raw.raid_level === undefined) throw invalid(`${at}.raid_level`, 'is required');
  checkOneOf(`${at}.raid_level`, raw.raid_level, IRONIC_RAID_LEVELS);
  const rule = raidLevelRule(raw.raid_level as string);
  if (!rule) {
    throw invalid(
      `${at}.raid_level`,
      `RAID level ${shown(raw.raid_level)} is not supported by the drac driver; supported: ${SUPPORTED_RAID_LEVELS.join(', ')}`,
    );
  }
  for (const key of ['is_root_volume', 'share_physical_disks'] as const) {
    if (raw[key] !== undefined) checkBoolean(`${at}.${key}`, raw[key]);
  }
  if (raw.share_physical_disks === true) {
    throw invalid(
      `${at}.share_physical_disks`,
      'sharing physical disks between volumes is not supported by the drac driver',
    );
  }
  for (const key of ['volume_name', 'controller'] as const) {
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || raw[key] === '')) {
      throw invalid(`${at}.${key}`, `${shown(raw[key])} is not a non-empty string`);
    }
  }
  if (raw.disk_type !== undefined) checkOneOf(`${at}.disk_type`, raw.disk_type, DISK_TYPES);
  if (raw.interface_type !== undefined)
    checkOneOf(`${at}.interface_type`, raw.interface_type, INTERFACE_TYPES);
  const count = raw.number_of_physical_disks;
  if (count !== undefined) {
    if (!Number.isInteger(count) || (count as number) < 1) {
      throw invalid(`${at}.number_of_physical_disks`, `${shown(count)} is not an integer >= 1`);
    }
    if (!diskCountFits(rule, count as number)) {
      throw invalid(
        `${at}.number_of_physical_disks`,
        `RAID level ${raw.raid_level as string} takes ${describeDiskCount(rule)} physical disks, not ${count as number}`,
      );
    }
  }
  const disks = raw.physical_disks;
  if (disks !== undefined) {
    if (!Array.isArray(disks) || disks.some((disk) => typeof disk !== 'string' || disk === '')) {
      throw invalid(`${at}.physical_disks`, 'must be a list of physical disk ids (non-empty strings)');
    }
    if (new Set(disks).size !== disks.length) throw invalid(`${at}.physical_disks`, 'lists a disk twice');
    if (!diskCountFits(rule, disks.length)) {
      throw invalid(
        `${at}.physical_disks`,
        `RAID level ${raw.raid_level as string} takes ${describeDiskCount(rule)} physical disks, not ${disks.length}`,
      );
    }
    if (count !== undefined && count !== disks.length) {
      throw invalid(
        `${at}.number_of_physical_disks`,
        `${count as number} does not match the ${disks.length} physical_disks`,
      );
    }
    if (raw.controller === undefined) {
      throw invalid(`${at}.controller`, 'is required when physical_disks are given');
    }
  }
  return raw as unknown as LogicalDisk;
}

/**
 * Checks a `target_raid_config` in Ironic's format (the fields of Ironic's RAID config schema) against
 * what the drac driver can build. Throws `InvalidParameterValue` naming `logical_disks[i].field`.
 */
export function validateRaidConfig(config: unknown): RaidConfig {
  if (!isObject(config)) throw invalid('target_raid_config', 'must be an object with "logical_disks"');
  for (const key of Object.keys(config)) {
    if (key !== 'logical_disks')
      throw invalid(key, 'is not a RAID config property (only "logical_disks" is)');
  }
  const list = config.logical_disks;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid('logical_disks', 'must be a non-empty list of logical disks');
  }
  const disks = list.map(checkLogicalDisk);
  const roots = disks.filter((disk) => disk.is_root_volume === true);
  if (roots.length > 1) {
    throw new InvalidParameterValue(
      `Raid config cannot have more than one root volume. ${roots.length} root volumes were specified`,
    );
  }
  const owner = new Map<string, number>();
  disks.forEach((disk, index) => {
    for (const id of disk.physical_disks ?? []) {
      const first = owner.get(id);
      if (first !== undefined) {
        throw invalid(
          `logical_disks[${index}].physical_disks`,
          `disk ${id} is already used by logical_disks[${first}]`,
        );
      }
      owner.set(id, index);
    }
  });
  return { logical_disks: disks };
}
