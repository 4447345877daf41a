import type { StandardSchemaV1 } from '@standard-schema/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { automatedCleanSteps } from '../src/cleaning.js';
import { type AsyncOutcome, defineDriver, type RescueInterface } from '../src/driver.js';
import { NodeInMaintenance, NodeProtected, UnsupportedDriverExtension } from '../src/errors.js';
import { FakePower } from '../src/fake-power.js';

import { createDriverHarness, type DriverHarness } from '../src/testing/driver-harness.js';
import { InMemoryNodeRepository } from '../src/testing/in-memory-node-repository.js';

const noOptions: StandardSchemaV1<unknown, Record<string, never>> = {
  '~standard': { version: 1, vendor: 'test', validate: () => ({ value: {} }) },
};

/** Records the clean steps run, in order; the management step is automated, the RAID one manual. */
const ran: string[] = [];
const step = (name: string) => async () => {
  ran.push(name);
  return 'done' as const;
};

class WaitingRescue implements RescueInterface {
  cleanedUp = 0;
  async rescue(): Promise<AsyncOutcome> {
    return 'wait';
  }
  async unrescue() {}
  async cleanUp() {
    this.cleanedUp++;
  }
}

const rescue = new WaitingRescue();
const cleaner = defineDriver({
  name: 'cleaner',
  optionsSchema: noOptions,
  create: () => ({
    name: 'cleaner',
    interfaces: {
      power: new FakePower(),
      management: { cleanSteps: { reset_idrac: { priority: 50, run: step('management.reset_idrac') } } },
      deploy: {
        deploy: async () => 'done' as const,
        tearDown: async () => {},
        cleanSteps: {
          erase_devices: { priority: 10, run: step('deploy.erase_devices') },
          erase_metadata: { priority: 50, run: step('deploy.erase_metadata') },
        },
      },
      bios: { cleanSteps: { factory_reset: step('bios.factory_reset') } },
      rescue,
    },
  }),
});

describe('automated cleaning, rescue, adoption and guards', () => {
  let harness: DriverHarness;
  afterEach(async () => {
    ran.length = 0;
    await harness?.close();
  });

  it('runs the steps the driver marks with a priority, highest first, interface rank breaking ties', async () => {
    harness = await createDriverHarness({ drivers: [cleaner] });
    await harness.createNode({ name: 'n', driver: 'cleaner', provision_state: 'manageable' });
    await harness.nodes.withTask('n', {}, async (task) => {
      expect(automatedCleanSteps(task)).toEqual([
        { interface: 'management', step: 'reset_idrac', priority: 50, args: {} },
        { interface: 'deploy', step: 'erase_metadata', priority: 50, args: {} },
        { interface: 'deploy', step: 'erase_devices', priority: 10, args: {} },
      ]);
    });
    expect(await harness.provision('n', { target: 'provide' })).toMatchObject({
      provision_state: 'available',
      clean_step: {},
      driver_internal_info: {},
    });
    expect(ran).toEqual(['management.reset_idrac', 'deploy.erase_metadata', 'deploy.erase_devices']);
    // After an undeploy too; never when the node opts out.
    await harness.createNode({
      name: 'quiet',
      driver: 'cleaner',
      provision_state: 'manageable',
      automated_clean: false,
    });
    await harness.provision('quiet', { target: 'provide' });
    expect(ran).toHaveLength(3);
    await harness.provision('n', { target: 'active' });
    await harness.provision('n', { target: 'undeploy' });
    expect(ran).toHaveLength(6);
  });

  it('rescues into rescue wait, aborts it (cleaning the ramdisk up), and unrescues', async () => {
    harness = await createDriverHarness({ drivers: [cleaner] });
    await harness.createNode({ name: 'r', driver: 'cleaner', provision_state: 'active' });
    expect(await harness.provision('r', { target: 'rescue', rescue_password: 'pw' })).toMatchObject({
      provision_state: 'rescue wait',
      target_provision_state: 'rescue',
    });
    expect(await harness.provision('r', { target: 'abort' })).toMatchObject({
      provision_state: 'rescue failed',
      last_error: expect.stringContaining('Rescue operation aborted'),
    });
    expect(rescue.cleanedUp).toBe(1);
    expect(await harness.provision('r', { target: 'unrescue' })).toMatchObject({
      provision_state: 'active',
      instance_info: {},
    });
    await expect(harness.provision('r', { target: 'rescue' })).rejects.toThrow(
      'A non-empty "rescue_password" is required',
    );
  });

  it('adopts a manageable node, refuses an unsupported one, and guards protected and maintained nodes', async () => {
    harness = await createDriverHarness({ drivers: [cleaner] });
    await harness.createNode({ name: 'a', driver: 'cleaner', provision_state: 'manageable' });
    expect((await harness.provision('a', { target: 'adopt' })).provision_state).toBe('active');
    await harness.createNode({ name: 'p', driver: 'cleaner', provision_state: 'active', protected: true });
    await expect(harness.provision('p', { target: 'deleted' })).rejects.toBeInstanceOf(NodeProtected);
    await expect(harness.provision('p', { target: 'rebuild' })).rejects.toBeInstanceOf(NodeProtected);
    await harness.createNode({
      name: 'm',
      driver: 'cleaner',
      provision_state: 'available',
      maintenance: true,
    });
    await expect(harness.provision('m', { target: 'active' })).rejects.toBeInstanceOf(NodeInMaintenance);
    await harness.createNode({ name: 'i', driver: 'cleaner', provision_state: 'manageable' });
    await expect(harness.provision('i', { target: 'inspect' })).rejects.toThrow(
      new UnsupportedDriverExtension('cleaner', 'inspect'),
    );
  });
});

describe('in-memory node repository: Ironic filters, creation order, inspection times', () => {
  it('filters, orders by creation and sets inspection timestamps as Ironic database does', async () => {
    let now = Date.UTC(2026, 0, 1);
    const repository = new InMemoryNodeRepository({ now: () => now });
    const a = await repository.create({
      driver: 'd',
      name: 'zeta',
      owner: 'o',
      resource_class: 'gold',
      shard: 's1',
    });
    await repository.create({
      driver: 'd',
      name: 'alpha',
      lessee: 'o',
      description: 'rack 4',
      conductor_group: 'g',
    });
    await repository.create({
      driver: 'd',
      name: 'mid',
      instance_uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
      retired: true,
    });
    const names = async (query: Parameters<InMemoryNodeRepository['list']>[0]) =>
      (await repository.list(query)).map((node) => node.name);
    expect(await names({ sortKey: 'id' })).toEqual(['zeta', 'alpha', 'mid']);
    expect(await names({ sortKey: 'id', sortDir: 'desc', limit: 2 })).toEqual(['mid', 'alpha']);
    expect(await names({ project: 'o', sortKey: 'name' })).toEqual(['alpha', 'zeta']);
    expect(await names({ resourceClass: 'gold' })).toEqual(['zeta']);
    expect(await names({ associated: true })).toEqual(['mid']);
    expect(await names({ retired: false, sortKey: 'id' })).toEqual(['zeta', 'alpha']);
    expect(await names({ shard: ['s1', 's2'] })).toEqual(['zeta']);
    expect(await names({ sharded: false, sortKey: 'id' })).toEqual(['alpha', 'mid']);
    expect(await names({ descriptionContains: 'rack' })).toEqual(['alpha']);
    expect(await names({ conductorGroup: 'G' })).toEqual(['alpha']);
    expect(await names({ sortKey: 'id', marker: a.uuid })).toEqual(['alpha', 'mid']);

    await repository.reserve(a.uuid, 'c');
    now += 1000;
    const inspecting = await repository.update(a.uuid, 'c', {
      provision_state: 'inspecting',
      traits: ['B', 'A'],
    });
    expect(inspecting).toMatchObject({
      inspection_started_at: '2026-01-01T00:00:01.000Z',
      inspection_finished_at: null,
      traits: ['A', 'B'],
    });
    now += 1000;
    await repository.update(a.uuid, 'c', { provision_state: 'inspect wait' });
    now += 1000;
    expect(await repository.update(a.uuid, 'c', { provision_state: 'manageable' })).toMatchObject({
      inspection_started_at: null,
      inspection_finished_at: '2026-01-01T00:00:03.000Z',
    });
  });
});
