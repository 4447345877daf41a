import type { BmcIdentity } from '../identity.js';
import {
  BIOS_URI,
  BOOT_OPTIONS_URI,
  CONTROLLER_ID,
  MEMORY_URI,
  PROCESSORS_URI,
  SIMPLE_STORAGE_URI,
  SYSTEM_ETHERNET_URI,
} from '../paths.js';
import type { DriveInfo } from '../types.js';
import { collection, type Json, odata, STATUS_OK } from './common.js';

/** The host's NICs: two ports of the integrated adapter, MACs derived from the BMC's identity. */
export const NIC_IDS = ['NIC.Integrated.1-1-1', 'NIC.Integrated.1-2-1'] as const;
/** DIMM slots populated: twelve 16 GiB modules (the system's 192 GiB). */
export const DIMM_IDS = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6'].map(
  (slot) => `DIMM.Socket.${slot}`,
);
export const CPU_IDS = ['CPU.Socket.1', 'CPU.Socket.2'] as const;
export const BOOT_OPTION_IDS = ['Boot0000', 'Boot0001'] as const;

/** The MAC of host NIC `index`: the iDRAC's vendor prefix and the index in the last octet. */
export function hostMac(identity: BmcIdentity, index: number): string {
  const octets = identity.macAddress.split(':');
  octets[5] = ((Number.parseInt(octets[5] ?? '0', 16) + 1 + index) % 256).toString(16).padStart(2, '0');
  return octets.join(':');
}

/** `GET .../Bios`. */
export function bios(): Json {
  return {
    ...odata(BIOS_URI, 'Bios', 'v1_0_3'),
    Actions: {
      '#Bios.ChangePassword': { target: `${BIOS_URI}/Actions/Bios.ChangePassword` },
      '#Bios.ResetBios': { target: `${BIOS_URI}/Actions/Bios.ResetBios` },
    },
    AttributeRegistry: 'BiosAttributeRegistry.v1_0_3',
    Attributes: {
      BootMode: 'Uefi',
      LogicalProc: 'Enabled',
      ProcVirtualization: 'Enabled',
      SriovGlobalEnable: 'Disabled',
      SysProfile: 'PerfOptimized',
    },
    Description: 'BIOS Configuration Current Settings',
    Id: 'Bios',
    Name: 'BIOS Configuration Current Settings',
  };
}

/** `GET .../BootOptions` and its members: PXE on the first NIC, then the RAID controller's disk. */
export function bootOptionCollection(): Json {
  return collection(
    BOOT_OPTIONS_URI,
    'BootOptionCollection',
    'Boot Options Collection',
    BOOT_OPTION_IDS.map((id) => `${BOOT_OPTIONS_URI}/${id}`),
  );
}

export function bootOption(id: string): Json | undefined {
  const index = BOOT_OPTION_IDS.indexOf(id as (typeof BOOT_OPTION_IDS)[number]);
  if (index < 0) return undefined;
  const pxe = index === 0;
  return {
    ...odata(`${BOOT_OPTIONS_URI}/${id}`, 'BootOption', 'v1_0_4'),
    BootOptionEnabled: true,
    BootOptionReference: id,
    Description: 'Current settings of the UEFI Boot option',
    DisplayName: pxe ? `PXE Device 1: Integrated ${NIC_IDS[0]}` : `${CONTROLLER_ID}: Virtual Disk 0`,
    Id: id,
    Name: pxe ? 'PXE Device 1' : 'Hard drive C:',
    UefiDevicePath: pxe ? 'VenHw(3A191845-5F86-4E78-8FCE-C4CFF59F9DAA)' : 'PciRoot(0x0)/Pci(0x1,0x0)',
  };
}

/** `GET .../EthernetInterfaces` of the system and its members. */
export function hostNicCollection(): Json {
  return collection(
    SYSTEM_ETHERNET_URI,
    'EthernetInterfaceCollection',
    'System Ethernet Interface Collection',
    NIC_IDS.map((id) => `${SYSTEM_ETHERNET_URI}/${id}`),
  );
}

export function hostNic(identity: BmcIdentity, id: string): Json | undefined {
  const index = NIC_IDS.indexOf(id as (typeof NIC_IDS)[number]);
  if (index < 0) return undefined;
  const mac = hostMac(identity, index).toUpperCase();
  return {
    ...odata(`${SYSTEM_ETHERNET_URI}/${id}`, 'EthernetInterface', 'v1_4_1'),
    Description: 'Integrated NIC 1 Port 1 Partition 1',
    FullDuplex: true,
    Id: id,
    LinkStatus: 'LinkUp',
    MACAddress: mac,
    Name: 'System Ethernet Interface',
    PermanentMACAddress: mac,
    SpeedMbps: 25000,
    Status: STATUS_OK,
  };
}

/** `GET .../Memory` and its DIMMs. */
export function memoryCollection(): Json {
  return collection(
    MEMORY_URI,
    'MemoryCollection',
    'Memory Devices Collection',
    DIMM_IDS.map((id) => `${MEMORY_URI}/${id}`),
  );
}

export function dimm(id: string): Json | undefined {
  if (!DIMM_IDS.includes(id)) return undefined;
  return {
    ...odata(`${MEMORY_URI}/${id}`, 'Memory', 'v1_7_1'),
    CapacityMiB: 16384,
    Description: `DIMM ${id.slice(-2)}`,
    Id: id,
    Manufacturer: 'Hynix Semiconductor',
    MemoryDeviceType: 'DDR4',
    Name: `DIMM ${id.slice(-2)}`,
    OperatingSpeedMhz: 2933,
    Status: STATUS_OK,
  };
}

/** `GET .../Processors` and its CPUs. */
export function processorCollection(): Json {
  return collection(
    PROCESSORS_URI,
    'ProcessorCollection',
    'Processors Collection',
    CPU_IDS.map((id) => `${PROCESSORS_URI}/${id}`),
  );
}

export function processor(id: string): Json | undefined {
  if (!CPU_IDS.includes(id as (typeof CPU_IDS)[number])) return undefined;
  return {
    ...odata(`${PROCESSORS_URI}/${id}`, 'Processor', 'v1_4_0'),
    Description: 'Represents the properties of a Processor attached to this System',
    Id: id,
    InstructionSet: 'x86-64',
    Manufacturer: 'Intel',
    MaxSpeedMHz: 4000,
    Model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
    Name: 'CPU 1',
    ProcessorArchitecture: 'x86',
    ProcessorType: 'CPU',
    Socket: id,
    Status: STATUS_OK,
    TotalCores: 20,
    TotalThreads: 40,
  };
}

/** `GET .../SimpleStorage`: the RAID controller with its disks' sizes (what Ironic's inspection reads). */
export function simpleStorageCollection(): Json {
  return collection(SIMPLE_STORAGE_URI, 'SimpleStorageCollection', 'Simple Storage Collection', [
    `${SIMPLE_STORAGE_URI}/${CONTROLLER_ID}`,
  ]);
}

export function simpleStorage(id: string, drives: readonly DriveInfo[]): Json | undefined {
  if (id !== CONTROLLER_ID) return undefined;
  return {
    ...odata(`${SIMPLE_STORAGE_URI}/${id}`, 'SimpleStorage', 'v1_0_2'),
    Description: 'Simple Storage Controller',
    Devices: drives.map((drive) => ({
      CapacityBytes: drive.capacityBytes,
      Manufacturer: drive.mediaType === 'SSD' ? 'INTEL' : 'SEAGATE',
      Model: drive.mediaType === 'SSD' ? 'SSDSC2KG960G8R' : 'ST600MM0009',
      Name: drive.name,
      Status: { Health: 'OK', State: 'Enabled' },
    })),
    Id: id,
    Name: 'PERC H730P Mini',
    Status: STATUS_OK,
  };
}
