import type { IntrospectionData } from './discoverd-client.js';
import { InvalidIntrospectionData } from './errors.js';

/** The node properties inspection sets, with Ironic's names and units. */
export interface InspectedProperties {
  /** Logical CPUs. */
  cpus: number;
  /** CPU architecture, e.g. `x86_64`. */
  cpu_arch: string;
  /** RAM in MiB. */
  memory_mb: number;
  /** Usable size of the root disk in GiB. */
  local_gb: number;
}

const GIB = 1024 ** 3;

function at(data: unknown, ...path: string[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Root disk size in GiB as ironic-inspector's scheduler hook computes `local_gb`: whole GiB of the root
 * disk minus 1 GiB left for partitioning (`disk_partitioning_spacing`); 0 for a diskless node.
 */
function localGbFromRootDisk(data: IntrospectionData): number {
  const size = at(data, 'root_disk', 'size');
  if (size === undefined || size === null) return 0;
  if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
    throw new InvalidIntrospectionData('root_disk.size');
  }
  return Math.max(Math.floor(size / GIB) - 1, 0);
}

/**
 * The scheduling properties from discoverd's processed introspection data. The top-level values that
 * inspector's processing computed win; the raw inventory (`inventory.cpu`, `inventory.memory`, `root_disk`)
 * fills in when they are missing. Throws `InvalidIntrospectionData` naming a value found nowhere.
 */
export function inspectedProperties(data: IntrospectionData): InspectedProperties {
  const cpus = positiveInteger(data.cpus) ?? positiveInteger(at(data, 'inventory', 'cpu', 'count'));
  if (cpus === undefined) throw new InvalidIntrospectionData('cpus (nor inventory.cpu.count)');
  const cpuArch =
    nonEmptyString(data.cpu_arch) ?? nonEmptyString(at(data, 'inventory', 'cpu', 'architecture'));
  if (cpuArch === undefined) throw new InvalidIntrospectionData('cpu_arch (nor inventory.cpu.architecture)');
  const memoryMb =
    positiveInteger(data.memory_mb) ?? positiveInteger(at(data, 'inventory', 'memory', 'physical_mb'));
  if (memoryMb === undefined)
    throw new InvalidIntrospectionData('memory_mb (nor inventory.memory.physical_mb)');
  const localGb =
    typeof data.local_gb === 'number' && Number.isInteger(data.local_gb) && data.local_gb >= 0
      ? data.local_gb
      : localGbFromRootDisk(data);
  return { cpus, cpu_arch: cpuArch, memory_mb: memoryMb, local_gb: localGb };
}
