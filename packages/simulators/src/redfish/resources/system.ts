import { RESET_TYPES } from '../bmc-state.js';
import type { BmcIdentity } from '../identity.js';
import { MANAGER_URI, RESET_URI, STORAGE_COLLECTION_URI, SYSTEM_ID, SYSTEM_URI } from '../paths.js';
import type { PowerState } from '../types.js';

const link = (uri: string) => ({ '@odata.id': uri });

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
    Bios: link(`${SYSTEM_URI}/Bios`),
    BiosVersion: '2.10.2',
    Boot: {
      BootOptions: link(`${SYSTEM_URI}/BootOptions`),
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
    EthernetInterfaces: link(`${SYSTEM_URI}/EthernetInterfaces`),
    HostName: '',
    Id: SYSTEM_ID,
    IndicatorLED: 'Lit',
    Links: {
      Chassis: [link(`/redfish/v1/Chassis/${SYSTEM_ID}`)],
      'Chassis@odata.count': 1,
      ManagedBy: [link(MANAGER_URI)],
      'ManagedBy@odata.count': 1,
    },
    Manufacturer: 'Dell Inc.',
    Memory: link(`${SYSTEM_URI}/Memory`),
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
    Processors: link(`${SYSTEM_URI}/Processors`),
    SKU: identity.serviceTag,
    SerialNumber: `CN${identity.serviceTag}`,
    SimpleStorage: link(`${SYSTEM_URI}/SimpleStorage`),
    Status: { Health: 'OK', HealthRollup: 'OK', State: 'Enabled' },
    Storage: link(STORAGE_COLLECTION_URI),
    SystemType: 'Physical',
    UUID: identity.uuid,
  };
}
