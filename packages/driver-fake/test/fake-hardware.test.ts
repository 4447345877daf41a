import {
  driverInterfaceTable,
  InvalidDriverOptions,
  InvalidParameterValue,
  resolveNodeInterfaces,
  UnsupportedDriverExtension,
} from '@ironic/driver-base';
import { createDriverHarness, type DriverHarness } from '@ironic/driver-base/testing';
import { ManualClock } from '@ironic/periodic-core';
import { afterEach, describe, expect, it } from 'vitest';
import fakeHardware, { BIOS_SETTINGS_KEY, type FakeHardwareDriver, parseDelay } from '../src/index.js';

describe('fake-hardware', () => {
  let harness: DriverHarness;
  afterEach(async () => {
    await harness?.close();
  });

  const driver = () => harness.drivers.get('fake-hardware') as FakeHardwareDriver;

  it('offers the interfaces, names and defaults Ironic 21.4 shows for fake-hardware', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    const table = driverInterfaceTable(driver());
    const shown = Object.fromEntries(
      Object.entries(table).map(([kind, entry]) => [
        kind,
        [entry.default, [...entry.implementations.keys()]],
      ]),
    );
    expect(shown).toEqual({
      bios: ['fake', ['fake', 'no-bios']],
      boot: ['fake', ['fake']],
      console: ['fake', ['fake', 'no-console']],
      deploy: ['fake', ['fake']],
      inspect: ['fake', ['fake', 'no-inspect']],
      management: ['fake', ['fake']],
      network: ['noop', ['noop']],
      power: ['fake', ['fake']],
      raid: ['fake', ['fake', 'no-raid']],
      rescue: ['fake', ['fake', 'no-rescue']],
      storage: ['noop', ['fake', 'noop']],
      vendor: ['fake', ['fake', 'no-vendor']],
    });
    expect(driver().interfaces.vendor.properties).toEqual({
      B1: 'B1 description. Required.',
      B2: 'B2 description. Required.',
    });
  });

  it('takes a node through every provision state', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    await harness.createNode({ name: 'n1', driver: 'fake-hardware' });
    const states: string[] = [];
    const step = async (request: Parameters<DriverHarness['provision']>[1]) => {
      const node = await harness.provision('n1', request);
      states.push(node.provision_state);
      return node;
    };
    expect(await step({ target: 'manage' })).toMatchObject({ power_state: null, last_error: null });
    const inspected = await step({ target: 'inspect' });
    expect(inspected.inspection_finished_at).not.toBeNull();
    expect(inspected.inspection_started_at).toBeNull();
    await step({ target: 'provide' });
    await step({ target: 'manage' });
    await step({ target: 'provide' });
    await step({ target: 'active', configdrive: 'http://example.com/cd.iso' });
    expect((await harness.node('n1')).instance_info).toEqual({ configdrive: 'http://example.com/cd.iso' });
    expect(await step({ target: 'rescue', rescue_password: 'pw' })).toMatchObject({
      instance_info: { rescue_password: 'pw' },
    });
    expect((await step({ target: 'unrescue' })).instance_info.rescue_password).toBeUndefined();
    await step({ target: 'rebuild' });
    await step({ target: 'deleted' });
    expect(states).toEqual([
      'manageable',
      'manageable',
      'available',
      'manageable',
      'available',
      'active',
      'rescue',
      'active',
      'active',
      'available',
    ]);
    expect(await harness.node('n1')).toMatchObject({ instance_info: {}, target_provision_state: null });
  });

  it('adopts a manageable node and undeploys a rescued one', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    await harness.createNode({ name: 'a', driver: 'fake-hardware', provision_state: 'manageable' });
    expect((await harness.provision('a', { target: 'adopt' })).provision_state).toBe('active');
    await harness.provision('a', { target: 'rescue', rescue_password: 'pw' });
    expect((await harness.provision('a', { target: 'undeploy' })).provision_state).toBe('available');
  });

  it('runs its manual clean steps: RAID from target_raid_config, BIOS settings', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    const target = { logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }] };
    await harness.createNode({
      name: 'c',
      driver: 'fake-hardware',
      provision_state: 'manageable',
      target_raid_config: target,
    });
    const cleaned = await harness.provision('c', {
      target: 'clean',
      clean_steps: [
        { interface: 'raid', step: 'create_configuration' },
        {
          interface: 'bios',
          step: 'apply_configuration',
          args: { settings: [{ name: 'LogicalProc', value: 'Enabled' }] },
        },
      ],
    });
    expect(cleaned).toMatchObject({ provision_state: 'manageable', raid_config: target, last_error: null });
    expect(cleaned.driver_internal_info[BIOS_SETTINGS_KEY]).toEqual({ LogicalProc: 'Enabled' });
    const reset = await harness.provision('c', {
      target: 'clean',
      clean_steps: [
        { interface: 'bios', step: 'factory_reset' },
        { interface: 'raid', step: 'delete_configuration' },
      ],
    });
    expect(reset.raid_config).toEqual({});
    expect(reset.driver_internal_info[BIOS_SETTINGS_KEY]).toBeUndefined();
    const failed = await harness.provision('c', {
      target: 'clean',
      clean_steps: [{ interface: 'bios', step: 'apply_configuration', args: {} }],
    });
    expect(failed).toMatchObject({ provision_state: 'clean failed' });
    expect(failed.last_error).toMatch(/bios\.apply_configuration failed: .*"settings"/);
  });

  it('checks RAID configurations against Ironic RAID schema', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    const node = await harness.createNode({ driver: 'fake-hardware' });
    const raid = driver().interfaces.raid;
    await harness.nodes.withTask(node.uuid, {}, async (task) => {
      expect(() => raid.validateRaidConfig(task, { logical_disks: [] })).toThrow(/too short/);
      expect(() => raid.validateRaidConfig(task, { logical_disks: [{ size_gb: 10 }] } as never)).toThrow(
        "RAID config validation error: 'raid_level' is a required property",
      );
      expect(() =>
        raid.validateRaidConfig(task, {
          logical_disks: [
            { size_gb: 'MAX', raid_level: '0', is_root_volume: true },
            { size_gb: 10, raid_level: '1', is_root_volume: true },
          ],
        }),
      ).toThrow('Raid config cannot have more than one root volume. 2 root volumes were specified');
      expect(() =>
        raid.validateRaidConfig(task, { logical_disks: [{ size_gb: 10, raid_level: '7' }] } as never),
      ).toThrow(InvalidParameterValue);
      raid.validateRaidConfig(task, { logical_disks: [{ size_gb: 'MAX', raid_level: 'JBOD' } as never] });
    });
  });

  it('follows the implementation each node chose: no-raid and no-rescue are unsupported', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    const fields = resolveNodeInterfaces(
      driver(),
      { raid_interface: 'no-raid', rescue_interface: 'no-rescue' },
      [driver()],
    );
    expect(fields).toMatchObject({
      raid_interface: 'no-raid',
      storage_interface: 'noop',
      boot_interface: 'fake',
    });
    await harness.createNode({
      name: 'x',
      driver: 'fake-hardware',
      provision_state: 'manageable',
      ...fields,
    });
    await expect(
      harness.provision('x', {
        target: 'clean',
        clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
      }),
    ).rejects.toThrow('Driver fake-hardware does not support raid (disabled or not implemented).');
    await harness.provision('x', { target: 'provide' });
    await harness.provision('x', { target: 'active' });
    await expect(harness.provision('x', { target: 'rescue', rescue_password: 'pw' })).rejects.toBeInstanceOf(
      UnsupportedDriverExtension,
    );
    expect(() => resolveNodeInterfaces(driver(), { deploy_interface: 'direct' }, [driver()])).toThrow(
      "Could not find the following interface in the 'ironic.hardware.interfaces.deploy' entrypoint: direct. Valid interfaces are ['fake'].",
    );
  });

  it('changes power as asked, soft targets included, and keeps the boot device PXE', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    const node = await harness.createNode({ driver: 'fake-hardware' });
    const { power, management } = driver().interfaces;
    await harness.nodes.withTask(node.uuid, {}, async (task) => {
      expect(await power.getPowerState(task)).toBeNull();
      await power.setPowerState(task, 'power on');
      expect(await power.getPowerState(task)).toBe('power on');
      await power.setPowerState(task, 'soft power off', { timeoutMs: 1000 });
      expect(task.node.power_state).toBe('power off');
      await power.reboot(task, { soft: true });
      expect(task.node.power_state).toBe('power on');
      expect(power.getSupportedPowerStates()).toContain('soft rebooting');
      expect(management.getSupportedBootDevices()).toEqual(['pxe']);
      await management.setBootDevice(task, 'pxe', { persistent: true });
      await expect(management.setBootDevice(task, 'disk')).rejects.toThrow(
        'Invalid boot device disk specified.',
      );
      expect(await management.getBootDevice()).toEqual({ boot_device: 'pxe', persistent: false });
    });
  });

  it('answers its vendor methods as Ironic FakeVendorB does', async () => {
    harness = await createDriverHarness({ drivers: [fakeHardware] });
    const node = await harness.createNode({ driver: 'fake-hardware' });
    const vendor = driver().interfaces.vendor;
    expect(Object.keys(vendor.methods)).toEqual([
      'second_method',
      'third_method_sync',
      'fourth_method_shared_lock',
    ]);
    await harness.nodes.withTask(node.uuid, {}, async (task) => {
      expect(() => vendor.validateMethod(task, 'second_method', {})).toThrow(
        "Parameter 'bar' not passed to method 'second_method'.",
      );
      expect(await vendor.methods.second_method!.run(task, 'POST', { bar: 'kazoo' })).toBe(true);
      expect(await vendor.methods.third_method_sync!.run(task, 'POST', { bar: 'woof' })).toBe(false);
    });
  });

  it("waits out Ironic's [fake] delays on the conductor clock, and refuses bad ones", async () => {
    const clock = new ManualClock(0);
    harness = await createDriverHarness({
      drivers: [{ package: fakeHardware, options: { deploy_delay: 30, power_delay: '1:3' } }],
      clock,
    });
    await harness.createNode({ name: 'd', driver: 'fake-hardware', provision_state: 'available' });
    let settled = false;
    const deploying = harness.provision('d', { target: 'active' }).then((node) => {
      settled = true;
      return node;
    });
    await clock.advance(29_000);
    expect(settled).toBe(false);
    await clock.advance(1_000);
    expect((await deploying).provision_state).toBe('active');
    expect(parseDelay('2:5')).toEqual({ min: 2, max: 5 });
    expect(parseDelay('5:2')).toBeUndefined();
    await expect(
      createDriverHarness({
        drivers: [{ package: fakeHardware, options: { power_delay: 'soon', colour: 1 } }],
      }),
    ).rejects.toThrow(InvalidDriverOptions);
    await expect(
      createDriverHarness({ drivers: [{ package: fakeHardware, options: { power_delay: 'soon' } }] }),
    ).rejects.toThrow(/power_delay: must be seconds/);
  });
});
