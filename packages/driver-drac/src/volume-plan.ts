import { InvalidParameterValue, type LogicalDisk, type RaidConfig } from '@ironic/driver-base';
import type { RedfishResource } from '@ironic/redfish';
import type { ControllerInventory, DriveInventory } from './idrac-resources.js';
import {
  describeDiskCount,
  diskCountFits,
  type RaidLevelRule,
  type RedfishRaidType,
  raidLevelRule,
} from './raid-levels.js';

/** Ironic counts `size_gb` in GiB. */
export const BYTES_PER_GIB = 1024 ** 3;

/** One volume to create: where, from which drives, and the Redfish body that asks for it. */
export interface PlannedVolume {
  /** Index of the logical disk in `target_raid_config.logical_disks`. */
  readonly index: number;
  readonly controller: string;
  readonly volumesUri: string;
  readonly raidType: RedfishRaidType;
  readonly driveIds: readonly string[];
  readonly isRootVolume: boolean;
  /** The `POST .../Volumes` body: `RAIDType`, `Links.Drives`, `CapacityBytes` unless "MAX", `Name`. */
  readonly payload: RedfishResource;
}

/** Which volumes of the target to create (the arguments of the `create_configuration` clean step). */
export interface PlanOptions {
  create_root_volume?: boolean;
  create_nonroot_volumes?: boolean;
}

function refuse(index: number, field: string, problem: string): InvalidParameterValue {
  return new InvalidParameterValue(`logical_disks[${index}]${field ? `.${field}` : ''}: ${problem}`);
}

function usableBytes(rule: RaidLevelRule, drives: readonly DriveInventory[]): number {
  if (drives.length === 0) return 0;
  return rule.dataDisks(drives.length) * Math.min(...drives.map((d) => d.capacityBytes));
}

function gib(bytes: number): number {
  return Math.floor(bytes / BYTES_PER_GIB);
}

function matchesKind(drive: DriveInventory, disk: LogicalDisk): boolean {
  if (disk.disk_type && drive.mediaType?.toLowerCase() !== disk.disk_type) return false;
  if (disk.interface_type && drive.protocol?.toLowerCase() !== disk.interface_type) return false;
  return true;
}

/** Picks free drives for a logical disk without `physical_disks`: the fewest drives that give the size. */
function chooseDrives(
  disk: LogicalDisk,
  rule: RaidLevelRule,
  free: readonly DriveInventory[],
): DriveInventory[] | undefined {
  // Largest first: for a given count, that gives the most usable space.
  const eligible = free
    .filter((drive) => matchesKind(drive, disk))
    .sort((a, b) => b.capacityBytes - a.capacityBytes || a.id.localeCompare(b.id));
  const counts =
    disk.number_of_physical_disks !== undefined
      ? [disk.number_of_physical_disks]
      : Array.from({ length: eligible.length }, (_, i) => i + 1).filter((n) => diskCountFits(rule, n));
  for (const count of counts) {
    if (count > eligible.length) break;
    const chosen = eligible.slice(0, count);
    if (disk.size_gb === 'MAX' || usableBytes(rule, chosen) >= disk.size_gb * BYTES_PER_GIB) return chosen;
  }
  return undefined;
}

function describeKind(disk: LogicalDisk): string {
  const kind = [disk.disk_type, disk.interface_type].filter(Boolean).join(' ');
  return kind ? `${kind} ` : '';
}

interface Placement {
  readonly controller: ControllerInventory;
  readonly drives: DriveInventory[];
}

/** The controllers a logical disk may go to: the one it names, or any that supports its level. */
function controllersFor(
  disk: LogicalDisk,
  index: number,
  rule: RaidLevelRule,
  controllers: readonly ControllerInventory[],
): ControllerInventory[] {
  if (disk.controller) {
    const named = controllers.find((c) => c.id === disk.controller);
    if (!named) {
      const known = controllers.map((c) => c.id).join(', ') || 'none';
      throw refuse(index, 'controller', `the node has no controller "${disk.controller}"; it has: ${known}`);
    }
    if (named.supportedRaidTypes.length > 0 && !named.supportedRaidTypes.includes(rule.raidType)) {
      const supported = named.supportedRaidTypes.join(', ');
      throw refuse(
        index,
        'raid_level',
        `controller ${named.id} does not support ${rule.raidType} (it supports ${supported})`,
      );
    }
    return [named];
  }
  const raid = controllers.filter((c) => c.supportedRaidTypes.length > 0);
  if (raid.length === 0) throw refuse(index, '', 'the node has no RAID controller');
  const supporting = raid.filter((c) => c.supportedRaidTypes.includes(rule.raidType));
  if (supporting.length === 0) {
    const supported = raid.map((c) => `${c.id} supports ${c.supportedRaidTypes.join(', ')}`).join('; ');
    throw refuse(index, 'raid_level', `no controller of the node supports ${rule.raidType} (${supported})`);
  }
  return supporting;
}

/** The drives a logical disk names, checked against the controller and what is already taken. */
function namedDrives(
  disk: LogicalDisk & { physical_disks: string[] },
  index: number,
  rule: RaidLevelRule,
  controller: ControllerInventory,
  free: readonly DriveInventory[],
): DriveInventory[] {
  const drives = disk.physical_disks.map((id) => {
    const drive = controller.drives.find((d) => d.id === id || d.uri === id);
    if (!drive) throw refuse(index, 'physical_disks', `controller ${controller.id} has no disk "${id}"`);
    if (!free.includes(drive))
      throw refuse(index, 'physical_disks', `disk ${drive.id} is already used by a volume`);
    return drive;
  });
  if (disk.size_gb !== 'MAX' && usableBytes(rule, drives) < disk.size_gb * BYTES_PER_GIB) {
    const most = gib(usableBytes(rule, drives));
    throw refuse(
      index,
      'size_gb',
      `${disk.size_gb} GiB is more than RAID ${disk.raid_level} over these disks gives (${most} GiB)`,
    );
  }
  return drives;
}

/** Where a logical disk goes: a controller and its drives; throws naming the disk when nothing fits. */
function place(
  disk: LogicalDisk,
  index: number,
  rule: RaidLevelRule,
  controllers: readonly ControllerInventory[],
  taken: ReadonlySet<string>,
): Placement {
  const candidates = controllersFor(disk, index, rule, controllers);
  for (const controller of candidates) {
    const free = controller.drives.filter((d) => !d.inUse && !taken.has(d.id));
    if (disk.physical_disks) {
      return {
        controller,
        drives: namedDrives({ ...disk, physical_disks: disk.physical_disks }, index, rule, controller, free),
      };
    }
    const drives = chooseDrives(disk, rule, free);
    if (drives) return { controller, drives };
  }
  const size = disk.size_gb === 'MAX' ? 'MAX' : `${disk.size_gb} GiB`;
  const count = disk.number_of_physical_disks ?? describeDiskCount(rule);
  const where = candidates.map((c) => c.id).join(', ');
  throw refuse(
    index,
    '',
    `not enough free ${describeKind(disk)}physical disks on ${where} for a RAID ${disk.raid_level} volume of ${size} (it takes ${count} disks)`,
  );
}

/**
 * Decides, from the controllers as the BMC reports them, which drives each logical disk of the target
 * gets. Logical disks naming their `physical_disks` are placed first; the others get the fewest free
 * drives that give their size (for "MAX": the fewest the level takes). Throws `InvalidParameterValue`
 * naming the logical disk when the hardware cannot satisfy it.
 */
export function planVolumes(
  config: RaidConfig,
  controllers: readonly ControllerInventory[],
  options: PlanOptions = {},
): PlannedVolume[] {
  const wanted = config.logical_disks
    .map((disk, index) => ({ disk, index }))
    .filter(({ disk }) =>
      disk.is_root_volume === true
        ? options.create_root_volume !== false
        : options.create_nonroot_volumes !== false,
    );
  const taken = new Set<string>();
  const planned: PlannedVolume[] = [];
  const order = [...wanted].sort((a, b) => Number(!a.disk.physical_disks) - Number(!b.disk.physical_disks));
  for (const { disk, index } of order) {
    const rule = raidLevelRule(disk.raid_level);
    if (!rule) throw refuse(index, 'raid_level', `RAID level ${disk.raid_level} is not supported`);
    const placed = place(disk, index, rule, controllers, taken);
    for (const drive of placed.drives) taken.add(drive.id);
    const payload: RedfishResource = {
      RAIDType: rule.raidType,
      Links: { Drives: placed.drives.map((d) => ({ '@odata.id': d.uri })) },
    };
    if (disk.size_gb !== 'MAX') payload.CapacityBytes = disk.size_gb * BYTES_PER_GIB;
    if (disk.volume_name) payload.Name = disk.volume_name;
    planned.push({
      index,
      controller: placed.controller.id,
      volumesUri: placed.controller.volumesUri,
      raidType: rule.raidType,
      driveIds: placed.drives.map((d) => d.id),
      isRootVolume: disk.is_root_volume === true,
      payload,
    });
  }
  return planned.sort((a, b) => a.index - b.index);
}
