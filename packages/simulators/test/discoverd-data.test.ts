import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DiscoverdSimulator,
  type IntrospectionData,
  startDiscoverdSimulator,
} from '../src/discoverd/index.js';
import { call, FakeClock, NODE_A, NODE_B, TestIronic } from './discoverd-helpers.js';

const GIB = 1024 ** 3;
let clock: FakeClock;
let sim: DiscoverdSimulator;
let ironic: TestIronic;

beforeEach(async () => {
  clock = new FakeClock();
  ironic = await TestIronic.start();
  sim = await startDiscoverdSimulator({ clock, ironicUrl: ironic.url });
});

afterEach(async () => {
  await sim.close();
  await ironic.close();
});

async function finishAndFetch(uuid: string): Promise<IntrospectionData> {
  expect((await call(sim.url, 'POST', `/v1/introspection/${uuid}`)).status).toBe(202);
  clock.advance(3_600_000);
  const res = await call(sim.url, 'GET', `/v1/introspection/${uuid}/data`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  return res.json as IntrospectionData;
}

describe('introspection data', () => {
  it('reports the configured hardware in the inventory and the processed fields', async () => {
    sim.configureNode(NODE_A, {
      hardware: {
        cpus: 2,
        cpuArch: 'aarch64',
        memoryMb: 2048,
        disksGb: [100, 13, 2],
        macs: ['52:54:00:4E:3D:30', '52:54:00:47:20:4d'],
        bmcAddress: '192.167.2.134',
      },
    });
    const data = await finishAndFetch(NODE_A);

    expect(data.inventory.cpu).toMatchObject({ count: 2, architecture: 'aarch64' });
    expect(typeof data.inventory.cpu.frequency).toBe('string');
    expect(typeof data.inventory.cpu.model_name).toBe('string');
    expect(data.inventory.memory.physical_mb).toBe(2048);
    expect(data.inventory.memory.total).toBeLessThanOrEqual(2048 * 1024 * 1024);
    expect(data.inventory.disks.map((disk) => [disk.name, disk.size])).toEqual([
      ['/dev/sda', 100 * GIB],
      ['/dev/sdb', 13 * GIB],
      ['/dev/sdc', 2 * GIB],
    ]);
    expect(Object.keys(data.inventory.disks[0] ?? {}).sort()).toEqual(
      [
        'by_path',
        'hctl',
        'model',
        'name',
        'rotational',
        'serial',
        'size',
        'vendor',
        'wwn',
        'wwn_vendor_extension',
        'wwn_with_extension',
      ].sort(),
    );
    expect(data.inventory.interfaces.map((nic) => [nic.name, nic.mac_address, nic.has_carrier])).toEqual([
      ['eth0', '52:54:00:4e:3d:30', true],
      ['eth1', '52:54:00:47:20:4d', true],
    ]);
    expect(data.inventory.interfaces[0]?.ipv4_address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(data.inventory.bmc_address).toBe('192.167.2.134');
    expect(data.inventory.boot.pxe_interface).toBe('52:54:00:4e:3d:30');
    expect(data.inventory.system_vendor).toEqual({
      serial_number: expect.any(String),
      product_name: expect.any(String),
      manufacturer: expect.any(String),
    });

    // The smallest disk of at least 4 GiB is the root disk; local_gb leaves 1 GiB for partitioning.
    expect(data.root_disk).toEqual(data.inventory.disks[1]);
    expect(data.local_gb).toBe(12);
    expect(data.cpus).toBe(2);
    expect(data.cpu_arch).toBe('aarch64');
    expect(data.memory_mb).toBe(2048);
    expect(data.ipmi_address).toBe('192.167.2.134');
    expect(data.boot_interface).toBe('52:54:00:4e:3d:30');
    expect(data.macs).toEqual(['52:54:00:4e:3d:30']);
    expect(data.interfaces).toEqual({
      eth0: { ip: expect.any(String), mac: '52:54:00:4e:3d:30', pxe: true, client_id: null },
    });
    expect(data.all_interfaces.eth1).toMatchObject({ mac: '52:54:00:47:20:4d', pxe: false });
    expect(data.error).toBeNull();
  });

  it('uses sensible defaults that differ per node, and per-node hardware over the default behaviour', async () => {
    sim.setDefaultBehaviour({ hardware: { cpus: 16, memoryMb: 65536 } });
    sim.configureNode(NODE_B, { hardware: { cpus: 4 } });
    const a = await finishAndFetch(NODE_A);
    const b = await finishAndFetch(NODE_B);
    expect(a.cpus).toBe(16);
    expect(b.cpus).toBe(4);
    expect(b.memory_mb).toBe(65536);
    expect(a.cpu_arch).toBe('x86_64');
    expect(a.inventory.disks.length).toBeGreaterThan(0);
    expect(a.root_disk).toBeDefined();
    expect(a.local_gb).toBeGreaterThan(0);
    expect(a.inventory.interfaces[0]?.mac_address).not.toBe(b.inventory.interfaces[0]?.mac_address);
  });

  it('reports a disk-less node with local_gb 0 and no root disk', async () => {
    sim.configureNode(NODE_A, { hardware: { disksGb: [] } });
    const data = await finishAndFetch(NODE_A);
    expect(data.inventory.disks).toEqual([]);
    expect(data.root_disk).toBeUndefined();
    expect(data.local_gb).toBe(0);
  });

  it('404s data of an unknown or unfinished node with inspector message', async () => {
    const unknown = await call(sim.url, 'GET', `/v1/introspection/${NODE_B}/data`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error: { message: `Introspection data not found for node ${NODE_B}, processed=True` },
    });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    clock.advance(29_999);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/data`)).status).toBe(404);
    clock.advance(1);
    expect((await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/data`)).status).toBe(200);
  });

  it('keeps the hardware a run started with when the node is reconfigured mid-run', async () => {
    sim.configureNode(NODE_A, { hardware: { cpus: 2 } });
    await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
    sim.configureNode(NODE_A, { hardware: { cpus: 64 } });
    clock.advance(30_000);
    const res = await call(sim.url, 'GET', `/v1/introspection/${NODE_A}/data`);
    expect((res.json as IntrospectionData).cpus).toBe(2);
  });
});
