import type { HardwareProfile } from './types.js';

/** Built-in hardware of a node nobody configured; MACs and addresses derive from the UUID so nodes differ. */
export function defaultHardware(uuid: string): HardwareProfile {
  const hex = uuid.replace(/-/g, '');
  const octets = [hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)].join(':');
  const hostByte = (Number.parseInt(hex.slice(6, 8), 16) % 250) + 2;
  return {
    cpus: 8,
    cpuArch: 'x86_64',
    cpuModelName: 'Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz',
    cpuFrequencyMhz: 2100,
    memoryMb: 32768,
    disksGb: [480, 1920],
    macs: [`52:54:00:${octets}`, `52:54:01:${octets}`],
    bmcAddress: `192.0.2.${hostByte}`,
    bootMode: 'uefi',
    manufacturer: 'Dell Inc.',
    productName: 'PowerEdge R640',
  };
}

/** The node's hardware: configured fields over the built-in defaults. */
export function completeHardware(uuid: string, configured: Partial<HardwareProfile>): HardwareProfile {
  return { ...defaultHardware(uuid), ...configured };
}

/**
 * Hardware that differs from one fleet index to the next (cores, architecture, memory, root disk), so a
 * property that lands on the wrong node shows in a fleet test.
 */
export function variedHardware(
  index: number,
): Required<Pick<HardwareProfile, 'cpus' | 'cpuArch' | 'memoryMb' | 'disksGb'>> {
  return {
    cpus: 2 + (index % 8) * 2,
    cpuArch: index % 5 === 0 ? 'aarch64' : 'x86_64',
    memoryMb: 4_096 * (1 + (index % 4)),
    // The root disk is the smallest of at least 4 GiB; inspector keeps 1 GiB of it for partitioning.
    disksGb: [100 + index, 4_000],
  };
}
