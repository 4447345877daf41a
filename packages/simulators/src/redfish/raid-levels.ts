import type { RaidType } from './types.js';

/** The drive-count rule and usable capacity of one RAID level, as a PERC controller applies them. */
interface RaidLevelRule {
  readonly minDrives: number;
  readonly maxDrives: number;
  readonly evenDrives: boolean;
  /** Redfish `Volume.VolumeType` for this level. */
  readonly volumeType:
    | 'NonRedundant'
    | 'Mirrored'
    | 'StripedWithParity'
    | 'SpannedMirrors'
    | 'SpannedStripesWithParity';
  /** How many drives' worth of the smallest drive is usable. */
  readonly dataDrives: (driveCount: number) => number;
}

const RULES: Readonly<Record<RaidType, RaidLevelRule>> = {
  RAID0: { minDrives: 1, maxDrives: 32, evenDrives: false, volumeType: 'NonRedundant', dataDrives: (n) => n },
  RAID1: { minDrives: 2, maxDrives: 2, evenDrives: false, volumeType: 'Mirrored', dataDrives: () => 1 },
  RAID5: {
    minDrives: 3,
    maxDrives: 32,
    evenDrives: false,
    volumeType: 'StripedWithParity',
    dataDrives: (n) => n - 1,
  },
  RAID6: {
    minDrives: 4,
    maxDrives: 32,
    evenDrives: false,
    volumeType: 'StripedWithParity',
    dataDrives: (n) => n - 2,
  },
  RAID10: {
    minDrives: 4,
    maxDrives: 32,
    evenDrives: true,
    volumeType: 'SpannedMirrors',
    dataDrives: (n) => n / 2,
  },
  // Two spans: each span gives up one (RAID50) or two (RAID60) drives to parity.
  RAID50: {
    minDrives: 6,
    maxDrives: 32,
    evenDrives: true,
    volumeType: 'SpannedStripesWithParity',
    dataDrives: (n) => n - 2,
  },
  RAID60: {
    minDrives: 8,
    maxDrives: 32,
    evenDrives: true,
    volumeType: 'SpannedStripesWithParity',
    dataDrives: (n) => n - 4,
  },
};

/** Every RAID level the simulated controller supports, in the order it advertises them. */
export const SUPPORTED_RAID_TYPES: readonly RaidType[] = Object.keys(RULES) as RaidType[];

/** Whether `value` names a supported RAID level. */
export function isRaidType(value: unknown): value is RaidType {
  return typeof value === 'string' && Object.hasOwn(RULES, value);
}

/** Whether `driveCount` drives can form a volume of `raidType`. */
export function driveCountFits(raidType: RaidType, driveCount: number): boolean {
  const rule = RULES[raidType];
  return (
    driveCount >= rule.minDrives && driveCount <= rule.maxDrives && (!rule.evenDrives || driveCount % 2 === 0)
  );
}

/** Largest volume `raidType` can make from drives of these sizes (limited by the smallest drive). */
export function maxCapacityBytes(raidType: RaidType, driveCapacities: readonly number[]): number {
  const smallest = Math.min(...driveCapacities);
  return RULES[raidType].dataDrives(driveCapacities.length) * smallest;
}

/** Redfish `VolumeType` of a RAID level. */
export function volumeTypeOf(raidType: RaidType): RaidLevelRule['volumeType'] {
  return RULES[raidType].volumeType;
}
