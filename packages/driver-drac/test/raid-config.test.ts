import { InvalidParameterValue } from '@ironic/driver-base';
import { describe, expect, it } from 'vitest';
import { BYTES_PER_GIB, type ControllerInventory, planVolumes, validateRaidConfig } from '../src/index.js';

const CONTROLLER = 'RAID.Integrated.1-1';
const base = `/redfish/v1/Systems/System.Embedded.1/Storage/${CONTROLLER}`;

function drive(
  bay: number,
  gb: number,
  more: { mediaType?: string; protocol?: string; inUse?: boolean } = {},
) {
  const id = `Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`;
  return {
    id,
    uri: `${base}/Drives/${id}`,
    capacityBytes: gb * 1e9,
    mediaType: more.mediaType ?? 'HDD',
    protocol: more.protocol ?? 'SAS',
    inUse: more.inUse ?? false,
  };
}

function perc(drives: ControllerInventory['drives']): ControllerInventory {
  return {
    id: CONTROLLER,
    uri: base,
    volumesUri: `${base}/Volumes`,
    supportedRaidTypes: ['RAID0', 'RAID1', 'RAID5', 'RAID6', 'RAID10', 'RAID50', 'RAID60'],
    drives,
  };
}

function rejects(config: unknown, message: string) {
  expect(() => validateRaidConfig(config)).toThrow(InvalidParameterValue);
  expect(() => validateRaidConfig(config)).toThrow(message);
}

describe('validateRaidConfig', () => {
  it('accepts Ironic target_raid_config examples', () => {
    const config = {
      logical_disks: [
        {
          size_gb: 'MAX',
          raid_level: '1',
          is_root_volume: true,
          controller: CONTROLLER,
          physical_disks: [
            'Disk.Bay.0:Enclosure.Internal.0-1:RAID.Integrated.1-1',
            'Disk.Bay.1:Enclosure.Internal.0-1:RAID.Integrated.1-1',
          ],
        },
        {
          size_gb: 500,
          raid_level: '5',
          disk_type: 'hdd',
          interface_type: 'sas',
          volume_name: 'data',
          number_of_physical_disks: 3,
        },
      ],
    };
    expect(validateRaidConfig(config)).toEqual(config);
  });

  it.each([
    [null, 'target_raid_config: must be an object with "logical_disks"'],
    [{}, 'logical_disks: must be a non-empty list of logical disks'],
    [{ logical_disks: [] }, 'logical_disks: must be a non-empty list'],
    [{ logical_disks: [], extra: 1 }, 'extra: is not a RAID config property'],
    [{ logical_disks: ['x'] }, 'logical_disks[0]: each logical disk must be an object'],
    [{ logical_disks: [{ raid_level: '1' }] }, 'logical_disks[0].size_gb: is required'],
    [
      { logical_disks: [{ size_gb: 0, raid_level: '1' }] },
      'logical_disks[0].size_gb: 0 is neither a positive integer nor "MAX"',
    ],
    [{ logical_disks: [{ size_gb: 10 }] }, 'logical_disks[0].raid_level: is required'],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '7' }] },
      'logical_disks[0].raid_level: "7" is not one of "0", "1", "2"',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '2' }] },
      'logical_disks[0].raid_level: RAID level "2" is not supported by the drac driver',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', is_root_volume: 'yes' }] },
      'logical_disks[0].is_root_volume: "yes" is not a boolean',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', disk_type: 'nvme' }] },
      'logical_disks[0].disk_type: "nvme" is not one of "hdd", "ssd"',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', colour: 'red' }] },
      'logical_disks[0].colour: is not a logical disk property',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', number_of_physical_disks: 3 }] },
      'logical_disks[0].number_of_physical_disks: RAID level 1 takes exactly 2 physical disks, not 3',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1+0', number_of_physical_disks: 5 }] },
      'takes 4 to 32 (an even number) physical disks, not 5',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', physical_disks: ['a', 'b'] }] },
      'logical_disks[0].controller: is required when physical_disks are given',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', controller: 'c', physical_disks: ['a'] }] },
      'logical_disks[0].physical_disks: RAID level 1 takes exactly 2 physical disks, not 1',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', controller: 'c', physical_disks: ['a', 'a'] }] },
      'logical_disks[0].physical_disks: lists a disk twice',
    ],
    [
      { logical_disks: [{ size_gb: 10, raid_level: '1', share_physical_disks: true }] },
      'logical_disks[0].share_physical_disks: sharing physical disks',
    ],
    [
      {
        logical_disks: [
          { size_gb: 10, raid_level: '0', controller: 'c', physical_disks: ['a'] },
          { size_gb: 10, raid_level: '0', controller: 'c', physical_disks: ['a'] },
        ],
      },
      'logical_disks[1].physical_disks: disk a is already used by logical_disks[0]',
    ],
    [
      {
        logical_disks: [
          { size_gb: 10, raid_level: '0', is_root_volume: true },
          { size_gb: 10, raid_level: '0', is_root_volume: true },
        ],
      },
      'Raid config cannot have more than one root volume. 2 root volumes were specified',
    ],
  ])('refuses %j', (config, message) => rejects(config, message));
});

describe('planVolumes', () => {
  it('gives a MAX RAID-1 root volume the two largest free disks and no CapacityBytes', () => {
    const drives = [drive(0, 600, { inUse: true }), drive(1, 600), drive(2, 1200), drive(3, 1200)];
    const [volume, ...rest] = planVolumes(
      validateRaidConfig({ logical_disks: [{ size_gb: 'MAX', raid_level: '1', is_root_volume: true }] }),
      [perc(drives)],
    );
    expect(rest).toEqual([]);
    expect(volume).toMatchObject({
      controller: CONTROLLER,
      raidType: 'RAID1',
      isRootVolume: true,
      driveIds: [drives[2]?.id, drives[3]?.id],
      payload: {
        RAIDType: 'RAID1',
        Links: { Drives: [{ '@odata.id': drives[2]?.uri }, { '@odata.id': drives[3]?.uri }] },
      },
    });
    expect(volume?.payload).not.toHaveProperty('CapacityBytes');
  });

  it('takes the fewest disks that give a sized volume, in GiB, and honours names and disk types', () => {
    const drives = [
      drive(0, 600),
      drive(1, 600),
      drive(2, 600),
      drive(3, 600, { mediaType: 'SSD', protocol: 'SATA' }),
      drive(4, 600),
    ];
    const plan = planVolumes(
      validateRaidConfig({
        logical_disks: [
          { size_gb: 1000, raid_level: '5', volume_name: 'data', disk_type: 'hdd' },
          { size_gb: 100, raid_level: '0', disk_type: 'ssd', interface_type: 'sata' },
        ],
      }),
      [perc(drives)],
    );
    // 600 GB = 558 GiB: three disks give 1117 GiB of RAID-5.
    expect(plan[0]?.driveIds).toHaveLength(3);
    expect(plan[0]?.payload).toMatchObject({
      RAIDType: 'RAID5',
      CapacityBytes: 1000 * BYTES_PER_GIB,
      Name: 'data',
    });
    expect(plan[1]?.driveIds).toEqual([drives[3]?.id]);
  });

  it('places logical disks with named physical_disks first, and skips root or non-root volumes on request', () => {
    const drives = [drive(0, 600), drive(1, 600), drive(2, 600), drive(3, 600)];
    const config = validateRaidConfig({
      logical_disks: [
        { size_gb: 'MAX', raid_level: '1', is_root_volume: true },
        {
          size_gb: 'MAX',
          raid_level: '1',
          controller: CONTROLLER,
          physical_disks: [drives[0]?.id, drives[1]?.id],
        },
      ],
    });
    const plan = planVolumes(config, [perc(drives)]);
    expect(plan.map((v) => v.index)).toEqual([0, 1]);
    expect(plan[0]?.driveIds).toEqual([drives[2]?.id, drives[3]?.id]);
    expect(plan[1]?.driveIds).toEqual([drives[0]?.id, drives[1]?.id]);
    expect(planVolumes(config, [perc(drives)], { create_root_volume: false }).map((v) => v.index)).toEqual([
      1,
    ]);
    expect(
      planVolumes(config, [perc(drives)], { create_nonroot_volumes: false }).map((v) => v.index),
    ).toEqual([0]);
  });

  it('names the logical disk the hardware cannot satisfy', () => {
    const drives = [drive(0, 600), drive(1, 600, { inUse: true })];
    const plan = (disk: object) => () =>
      planVolumes(validateRaidConfig({ logical_disks: [disk] }), [perc(drives)]);
    expect(plan({ size_gb: 'MAX', raid_level: '1' })).toThrow(
      'logical_disks[0]: not enough free physical disks on RAID.Integrated.1-1 for a RAID 1 volume of MAX (it takes exactly 2 disks)',
    );
    expect(plan({ size_gb: 600, raid_level: '0' })).toThrow(
      'logical_disks[0]: not enough free physical disks',
    );
    expect(plan({ size_gb: 10, raid_level: '0', controller: 'RAID.Slot.6-1' })).toThrow(
      'logical_disks[0].controller: the node has no controller "RAID.Slot.6-1"; it has: RAID.Integrated.1-1',
    );
    expect(
      plan({ size_gb: 10, raid_level: '0', controller: CONTROLLER, physical_disks: ['Disk.Bay.9'] }),
    ).toThrow('logical_disks[0].physical_disks: controller RAID.Integrated.1-1 has no disk "Disk.Bay.9"');
    expect(
      plan({ size_gb: 10, raid_level: '0', controller: CONTROLLER, physical_disks: [drives[1]?.id] }),
    ).toThrow(`logical_disks[0].physical_disks: disk ${drives[1]?.id} is already used by a volume`);
    expect(
      plan({ size_gb: 600, raid_level: '0', controller: CONTROLLER, physical_disks: [drives[0]?.id] }),
    ).toThrow('logical_disks[0].size_gb: 600 GiB is more than RAID 0 over these disks gives (558 GiB)');
    expect(() =>
      planVolumes(validateRaidConfig({ logical_disks: [{ size_gb: 10, raid_level: '6+0' }] }), [
        { ...perc(drives), supportedRaidTypes: ['RAID0', 'RAID1'] },
      ]),
    ).toThrow(
      'logical_disks[0].raid_level: no controller of the node supports RAID60 (RAID.Integrated.1-1 supports RAID0, RAID1)',
    );
    expect(() =>
      planVolumes(validateRaidConfig({ logical_disks: [{ size_gb: 10, raid_level: '0' }] }), [
        { ...perc(drives), supportedRaidTypes: [] },
      ]),
    ).toThrow('logical_disks[0]: the node has no RAID controller');
  });
});
