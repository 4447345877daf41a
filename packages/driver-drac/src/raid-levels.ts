import type { LogicalDisk } from '@ironic/driver-base';

/** Ironic's RAID level names (`target_raid_config` `raid_level`). */
export type RaidLevel = LogicalDisk['raid_level'];

/** Redfish `RAIDType` values the drac driver builds. */
export type RedfishRaidType = 'RAID0' | 'RAID1' | 'RAID5' | 'RAID6' | 'RAID10' | 'RAID50' | 'RAID60';

/** How many drives a level takes and how much of them it can use, as a Dell PERC applies it. */
export interface RaidLevelRule {
  readonly raidType: RedfishRaidType;
  readonly minDisks: number;
  readonly maxDisks: number;
  /** Spanned levels need an even number of drives. */
  readonly evenDisks: boolean;
  /** How many drives' worth of the smallest member is usable. */
  readonly dataDisks: (disks: number) => number;
}

const MAX_SPAN_DISKS = 32;

/** The RAID levels the driver supports, by Ironic's name. Ironic's `2` has no Redfish equivalent on a PERC. */
export const RAID_LEVELS: Readonly<Partial<Record<RaidLevel, RaidLevelRule>>> = {
  '0': { raidType: 'RAID0', minDisks: 1, maxDisks: MAX_SPAN_DISKS, evenDisks: false, dataDisks: (n) => n },
  '1': { raidType: 'RAID1', minDisks: 2, maxDisks: 2, evenDisks: false, dataDisks: () => 1 },
  '5': {
    raidType: 'RAID5',
    minDisks: 3,
    maxDisks: MAX_SPAN_DISKS,
    evenDisks: false,
    dataDisks: (n) => n - 1,
  },
  '6': {
    raidType: 'RAID6',
    minDisks: 4,
    maxDisks: MAX_SPAN_DISKS,
    evenDisks: false,
    dataDisks: (n) => n - 2,
  },
  '1+0': {
    raidType: 'RAID10',
    minDisks: 4,
    maxDisks: MAX_SPAN_DISKS,
    evenDisks: true,
    dataDisks: (n) => n / 2,
  },
  // Two spans, each giving one (5+0) or two (6+0) drives to parity.
  '5+0': {
    raidType: 'RAID50',
    minDisks: 6,
    maxDisks: MAX_SPAN_DISKS,
    evenDisks: true,
    dataDisks: (n) => n - 2,
  },
  '6+0': {
    raidType: 'RAID60',
    minDisks: 8,
    maxDisks: MAX_SPAN_DISKS,
    evenDisks: true,
    dataDisks: (n) => n - 4,
  },
};

/** Every `raid_level` value of Ironic's schema, supported or not. */
export const IRONIC_RAID_LEVELS: readonly RaidLevel[] = ['0', '1', '2', '5', '6', '1+0', '5+0', '6+0'];

/** The levels the driver supports, in Ironic's order. */
export const SUPPORTED_RAID_LEVELS = IRONIC_RAID_LEVELS.filter((level) => RAID_LEVELS[level] !== undefined);

/** The rule of a supported level, or undefined. */
export function raidLevelRule(level: string): RaidLevelRule | undefined {
  return Object.hasOwn(RAID_LEVELS, level) ? RAID_LEVELS[level as RaidLevel] : undefined;
}

/** Whether `disks` drives can form a volume of this level. */
export function diskCountFits(rule: RaidLevelRule, disks: number): boolean {
  return disks >= rule.minDisks && disks <= rule.maxDisks && (!rule.evenDisks || disks % 2 === 0);
}

/** Describes the drive counts a level takes, for error messages. */
export function describeDiskCount(rule: RaidLevelRule): string {
  if (rule.minDisks === rule.maxDisks) return `exactly ${rule.minDisks}`;
  return `${rule.minDisks} to ${rule.maxDisks}${rule.evenDisks ? ' (an even number)' : ''}`;
}

/** Ironic's level name of a Redfish `RAIDType`, or the RAIDType itself when it has none. */
export function raidLevelOf(raidType: string): string {
  for (const [level, rule] of Object.entries(RAID_LEVELS)) if (rule?.raidType === raidType) return level;
  return raidType;
}
