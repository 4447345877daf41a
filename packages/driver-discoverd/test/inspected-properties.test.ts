import { describe, expect, it } from 'vitest';
import { InvalidIntrospectionData, inspectedProperties } from '../src/index.js';

const GIB = 1024 ** 3;

/** Processed data shaped like ironic-inspector's `GET /v1/introspection/{node_id}/data`. */
function processedData() {
  return {
    cpu_arch: 'x86_64',
    cpus: 2,
    memory_mb: 2048,
    local_gb: 12,
    root_disk: { name: '/dev/vda', size: 13 * GIB, rotational: true },
    inventory: {
      cpu: { count: 2, architecture: 'x86_64', frequency: '2100.084' },
      memory: { physical_mb: 2048, total: 2_105_864_192 },
      disks: [{ name: '/dev/vda', size: 13 * GIB }],
    },
    error: null,
  };
}

describe('inspectedProperties', () => {
  it('takes the values inspector computed', () => {
    expect(inspectedProperties(processedData())).toEqual({
      cpus: 2,
      cpu_arch: 'x86_64',
      memory_mb: 2048,
      local_gb: 12,
    });
  });

  it('prefers the top-level values to the inventory', () => {
    const data = { ...processedData(), cpus: 48, memory_mb: 4096, cpu_arch: 'aarch64', local_gb: 100 };
    expect(inspectedProperties(data)).toEqual({
      cpus: 48,
      cpu_arch: 'aarch64',
      memory_mb: 4096,
      local_gb: 100,
    });
  });

  it('falls back to the inventory, and to the root disk less 1 GiB, as inspector’s hooks compute them', () => {
    const { cpus, memory_mb, cpu_arch, local_gb, ...rest } = processedData();
    expect(inspectedProperties({ ...rest, root_disk: { size: 480 * GIB + 12_345 } })).toEqual({
      cpus: 2,
      cpu_arch: 'x86_64',
      memory_mb: 2048,
      local_gb: 479,
    });
    expect(inspectedProperties({ ...rest, root_disk: undefined }).local_gb).toBe(0);
    expect(inspectedProperties({ ...rest, root_disk: { size: GIB / 2 } }).local_gb).toBe(0);
  });

  it('names what is missing', () => {
    const { cpus, inventory, ...rest } = processedData();
    expect(() => inspectedProperties(rest)).toThrow(InvalidIntrospectionData);
    expect(() => inspectedProperties(rest)).toThrow(
      "discoverd's introspection data has no usable cpus (nor inventory.cpu.count)",
    );
    expect(() =>
      inspectedProperties({ ...processedData(), local_gb: undefined, root_disk: { size: 'big' } }),
    ).toThrow("discoverd's introspection data has no usable root_disk.size");
  });
});
