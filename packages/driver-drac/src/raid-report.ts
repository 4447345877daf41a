import type { JsonObject } from '@ironic/driver-base';
import type { VolumeInventory } from './idrac-resources.js';
import { raidLevelOf } from './raid-levels.js';
import { BYTES_PER_GIB } from './volume-plan.js';

/** A logical disk of a node's `raid_config`, as the drac driver reports it after a RAID job. */
export interface ReportedLogicalDisk {
  size_gb: number;
  raid_level: string;
  is_root_volume?: true;
  controller: string;
  volume_name: string | null;
  physical_disks: string[];
}

/** A node's `raid_config` after creation: the volumes read back from the BMC. */
export interface ReportedRaidConfig {
  logical_disks: ReportedLogicalDisk[];
  /** When the configuration was read back (Ironic's `update_raid_info` adds it). */
  last_updated: string;
}

function sameDrives(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * The current RAID configuration in Ironic's format. The root volume is the one built from the drives
 * the root logical disk was given, since the BMC itself knows nothing of "root".
 */
export function reportRaidConfig(
  volumes: readonly VolumeInventory[],
  rootDriveIds: readonly string[] | undefined,
  now: Date,
): ReportedRaidConfig {
  return {
    logical_disks: volumes.map((volume) => {
      const disk: ReportedLogicalDisk = {
        size_gb: Math.floor(volume.capacityBytes / BYTES_PER_GIB),
        raid_level: volume.raidType ? raidLevelOf(volume.raidType) : 'unknown',
        controller: volume.controller,
        volume_name: volume.name ?? null,
        physical_disks: [...volume.driveIds],
      };
      if (rootDriveIds && rootDriveIds.length > 0 && sameDrives(volume.driveIds, rootDriveIds)) {
        disk.is_root_volume = true;
      }
      return disk;
    }),
    last_updated: now.toISOString(),
  };
}

/** The report as the JSON a node field holds. */
export function asJson(config: ReportedRaidConfig): JsonObject {
  return config as unknown as JsonObject;
}
