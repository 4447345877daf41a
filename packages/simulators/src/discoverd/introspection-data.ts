import { completeHardware } from './hardware.js';
import type { HardwareProfile } from './types.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** IPA never picks a disk under 4 GiB as the root device. */
const MIN_ROOT_DISK_BYTES = 4 * GIB;

/** One block device as IPA reports it in `inventory.disks`. */
export interface InventoryDisk {
  name: string;
  model: string;
  size: number;
  rotational: boolean;
  wwn: string | null;
  wwn_with_extension: string | null;
  wwn_vendor_extension: string | null;
  serial: string | null;
  vendor: string;
  hctl: string | null;
  by_path: string | null;
}

/** One NIC as IPA reports it in `inventory.interfaces`. */
export interface InventoryInterface {
  name: string;
  mac_address: string;
  ipv4_address: string | null;
  has_carrier: boolean;
  lldp: null;
  vendor: string;
  product: string;
  client_id: string | null;
}

/** A NIC as inspector's processing summarises it in `interfaces` / `all_interfaces`. */
export interface ProcessedInterface {
  ip: string | null;
  mac: string;
  pxe: boolean;
  client_id: string | null;
}

/** Processed introspection data as `GET /v1/introspection/{node_id}/data` returns it. */
export interface IntrospectionData {
  inventory: {
    bmc_address: string;
    interfaces: InventoryInterface[];
    disks: InventoryDisk[];
    boot: { current_boot_mode: 'bios' | 'uefi'; pxe_interface: string };
    system_vendor: { serial_number: string; product_name: string; manufacturer: string };
    memory: { physical_mb: number; total: number };
    cpu: { count: number; frequency: string; flags: string[]; architecture: string; model_name: string };
  };
  root_disk?: InventoryDisk;
  cpus: number;
  cpu_arch: string;
  memory_mb: number;
  local_gb: number;
  macs: string[];
  interfaces: Record<string, ProcessedInterface>;
  all_interfaces: Record<string, ProcessedInterface>;
  boot_interface: string;
  ipmi_address: string;
  error: null;
}

function disksOf(uuid: string, hardware: HardwareProfile): InventoryDisk[] {
  const serialBase = uuid.replace(/-/g, '').slice(0, 12).toUpperCase();
  return hardware.disksGb.map((sizeGb, index) => {
    const letter = String.fromCharCode('a'.charCodeAt(0) + index);
    const wwn = `0x5000c500${serialBase.slice(0, 6).toLowerCase()}${index.toString(16).padStart(2, '0')}`;
    return {
      name: `/dev/sd${letter}`,
      model: 'PERC H740P Mini',
      size: sizeGb * GIB,
      rotational: false,
      wwn,
      wwn_with_extension: wwn,
      wwn_vendor_extension: null,
      serial: `${serialBase}${index}`,
      vendor: 'DELL',
      hctl: `0:2:${index}:0`,
      by_path: `/dev/disk/by-path/pci-0000:18:00.0-scsi-0:2:${index}:0`,
    };
  });
}

/** IPA's choice of install device: the smallest disk of at least 4 GiB. */
function rootDiskOf(disks: readonly InventoryDisk[]): InventoryDisk | undefined {
  return disks
    .filter((disk) => disk.size >= MIN_ROOT_DISK_BYTES)
    .reduce<InventoryDisk | undefined>(
      (best, disk) => (best === undefined || disk.size < best.size ? disk : best),
      undefined,
    );
}

/**
 * Builds the processed introspection data for a node: IPA's inventory plus the fields inspector's processing
 * hooks add (`root_disk`, `cpus`, `cpu_arch`, `memory_mb`, `local_gb`, `interfaces`, `macs`, ...).
 */
export function buildIntrospectionData(
  uuid: string,
  configured: Partial<HardwareProfile>,
): IntrospectionData {
  const hardware = completeHardware(uuid, configured);
  const hostByte = (Number.parseInt(uuid.replace(/-/g, '').slice(8, 10), 16) % 200) + 20;
  const interfaces: InventoryInterface[] = hardware.macs.map((mac, index) => ({
    name: `eth${index}`,
    mac_address: mac,
    ipv4_address: `172.24.${42 + index}.${hostByte}`,
    has_carrier: true,
    lldp: null,
    vendor: '0x8086',
    product: '0x1572',
    client_id: null,
  }));
  const pxeMac = hardware.macs[0] ?? '';
  const allInterfaces: Record<string, ProcessedInterface> = {};
  for (const nic of interfaces) {
    allInterfaces[nic.name] = {
      ip: nic.ipv4_address,
      mac: nic.mac_address,
      pxe: nic.mac_address === pxeMac,
      client_id: null,
    };
  }
  // Inspector's default `add_ports = pxe` keeps only the PXE interface in `interfaces` and `macs`.
  const pxeInterfaces = Object.fromEntries(Object.entries(allInterfaces).filter(([, nic]) => nic.pxe));
  const disks = disksOf(uuid, hardware);
  const rootDisk = rootDiskOf(disks);
  // The scheduler hook leaves 1 GiB for partitioning (disk_partitioning_spacing).
  const localGb = rootDisk ? Math.max(Math.floor(rootDisk.size / GIB) - 1, 0) : 0;

  return {
    inventory: {
      bmc_address: hardware.bmcAddress,
      interfaces,
      disks,
      boot: { current_boot_mode: hardware.bootMode, pxe_interface: pxeMac },
      system_vendor: {
        serial_number: uuid.replace(/-/g, '').slice(0, 7).toUpperCase(),
        product_name: hardware.productName,
        manufacturer: hardware.manufacturer,
      },
      memory: { physical_mb: hardware.memoryMb, total: Math.floor(hardware.memoryMb * MIB * 0.98) },
      cpu: {
        count: hardware.cpus,
        frequency: hardware.cpuFrequencyMhz.toFixed(3),
        flags: hardware.cpuArch === 'x86_64' ? ['fpu', 'mmx', 'fxsr', 'sse', 'sse2', 'vmx'] : [],
        architecture: hardware.cpuArch,
        model_name: hardware.cpuModelName,
      },
    },
    ...(rootDisk ? { root_disk: rootDisk } : {}),
    cpus: hardware.cpus,
    cpu_arch: hardware.cpuArch,
    memory_mb: hardware.memoryMb,
    local_gb: localGb,
    macs: Object.values(pxeInterfaces).map((nic) => nic.mac),
    interfaces: pxeInterfaces,
    all_interfaces: allInterfaces,
    boot_interface: pxeMac,
    ipmi_address: hardware.bmcAddress,
    error: null,
  };
}
