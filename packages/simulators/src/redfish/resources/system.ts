import { RESET_TYPES } from '../bmc-state.js';
import type { BmcIdentity } from '../identity.js';
import {
  BIOS_URI,
  BOOT_OPTIONS_URI,
  MANAGER_URI,
  MEMORY_URI,
  PROCESSORS_URI,
  RESET_URI,
  SIMPLE_STORAGE_URI,
  STORAGE_COLLECTION_URI,
  SYSTEM_CHASSIS_URI,
  SYSTEM_ETHERNET_URI,
  SYSTEM_ID,
  SYSTEM_URI,
} from '../paths.js';
import type { PowerState } from '../types.js';
import { link } from './common.js';
import { BOOT_OPTION_IDS } from './system-inventory.js';

/** `GET /redfish/v1/Systems/System.Embedded.1`: a PowerEdge as its iDRAC describes it. */
export function computerSystem(identity: BmcIdentity, powerState: PowerState): Record<string, unknown> {
  return {
    '@odata.context': '/redfish/v1/$metadata#ComputerSystem.ComputerSystem',
    '@odata.id': SYSTEM_URI,
    '@odata.type': '#ComputerSystem.v1_10_0.ComputerSystem',
    Actions: {
      '#ComputerSystem.Reset': {
        target: RESET_URI,
        'ResetType@Redfish.AllowableValues': [...RESET_TYPES],
      },
    },
    AssetTag: '',
    Bios: link(BIOS_URI),
    BiosVersion: '2.10.2',
    Boot: {
      BootOptions: link(BOOT_OPTIONS_URI),
      BootOrder: [...BOOT_OPTION_IDS],
      BootSourceOverrideEnabled: 'Disabled',
      BootSourceOverrideMode: 'UEFI',
      BootSourceOverrideTarget: 'None',
      UefiTargetBootSourceOverride: null,
      'BootSourceOverrideTarget@Redfish.AllowableValues': [
        'None',
        'Pxe',
        'Floppy',
        'Cd',
        'Hdd',
        'BiosSetup',
        'Utilities',
        'UefiTarget',
        'SDCard',
        'UefiHttp',
      ],
    },
    Description:
      'Computer System which represents a machine (physical or virtual) and the local resources such as memory, cpu and other devices that can be accessed from that machine.',
    EthernetInterfaces: link(SYSTEM_ETHERNET_URI),
    HostName: '',
    Id: SYSTEM_ID,
    IndicatorLED: 'Lit',
    Links: {
      Chassis: [link(SYSTEM_CHASSIS_URI)],
      'Chassis@odata.count': 1,
      ManagedBy: [link(MANAGER_URI)],
      'ManagedBy@odata.count': 1,
    },
    Manufacturer: 'Dell Inc.',
    Memory: link(MEMORY_URI),
    MemorySummary: {
      MemoryMirroring: 'System',
      Status: { Health: 'OK', HealthRollup: 'OK', State: 'Enabled' },
      TotalSystemMemoryGiB: 192,
    },
    Model: 'PowerEdge R640',
    Name: 'System',
    PartNumber: '06NR82A02',
    PowerState: powerState,
    ProcessorSummary: {
      Count: 2,
      LogicalProcessorCount: 80,
      Model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
      Status: { Health: 'OK', HealthRollup: 'OK', State: 'Enabled' },
    },
    Processors: link(PROCESSORS_URI),
    SKU: identity.serviceTag,
    SerialNumber: `CN${identity.serviceTag}`,
    SimpleStorage: link(SIMPLE_STORAGE_URI),
    Status: { Health: 'OK', HealthRollup: 'OK', State: 'Enabled' },
    Storage: link(STORAGE_COLLECTION_URI),
    SystemType: 'Physical',
    UUID: identity.uuid,
  };
}
