import { periodic } from '@ironic/periodic-core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { continueCleaning, failCleaning } from '../src/cleaning.js';
import {
  type AsyncOutcome,
  type DeployInterface,
  defineDriver,
  type InspectInterface,
  type RaidInterface,
} from '../src/driver.js';
import { IllegalTransition, InvalidParameterValue, UnsupportedDriverExtension } from '../src/errors.js';
import { FakePower } from '../src/fake-power.js';
import { nodePeriodic } from '../src/node-periodic.js';
import type { Task } from '../src/task.js';
import { createDriverHarness, type DriverHarness } from '../src/testing/driver-harness.js';
import { fakeDriver } from '../src/testing/fake-driver.js';

type Options = { inspection_ms: number };
const optionsSchema: StandardSchemaV1<unknown, Options> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) => {
      const raw = (value ?? {}) as { inspection_ms?: unknown };
      const ms = raw.inspection_ms ?? 10_000;
      return typeof ms === 'number' && ms > 0
        ? { value: { inspection_ms: ms } }
        : { issues: [{ message: 'must be a positive number', path: ['inspection_ms'] }] };
    },
  },
};

/** Asynchronous inspection finished by a per-node periodic task, as the discoverd driver does. */
class TimedInspect implements InspectInterface {
  constructor(readonly options: Options) {}
  async inspectHardware(task: Task): Promise<AsyncOutcome> {
    await task.save({
      driver_internal_info: {
        ...task.node.driver_internal_info,
        inspect_started: Date.parse(task.node.updated_at ?? ''),
      },
    });
    return 'wait';
  }
  @nodePeriodic<TimedInspect>({ spacing: '10s', filters: { provision_state: 'inspect wait' } })
  async checkInspection(task: Task) {
    const started = task.node.driver_internal_info.inspect_started as number;
    const updated = Date.parse(task.node.updated_at ?? '');
    if (updated - started < 0) return false;
    await task.upgradeLock();
    await task.processEvent('done', { changes: { properties: { cpus: 4 } } });
    return true;
  }
}

/** RAID creation that finishes later, as the DRAC driver's does. */
class JobRaid implements RaidInterface {
  readonly pending = new Set<string>();
  readonly cleanSteps = {
    create_configuration: (task: Task) => this.createConfiguration(task),
    delete_configuration: () => this.deleteConfiguration(),
  };
  validateRaidConfig(_task: Task, config: { logical_disks?: unknown }) {
    if (!Array.isArray(config.logical_disks)) throw new InvalidParameterValue('logical_disks must be a list');
  }
  async createConfiguration(task: Task): Promise<AsyncOutcome> {
    if (task.node.driver_info.fail_raid) throw new Error('controller on fire');
    this.pending.add(task.node.uuid);
    return 'wait';
  }
  async deleteConfiguration(): Promise<AsyncOutcome> {
    return 'done';
  }
  @nodePeriodic({ spacing: '2m', filters: { provision_state: 'clean wait' } })
  async checkJobs(task: Task) {
    if (!this.pending.has(task.node.uuid)) return false;
    this.pending.delete(task.node.uuid);
    await task.upgradeLock();
    if (task.node.driver_info.job_fails) return failCleaning(task, 'job failed: disk missing');
    await task.save({ raid_config: { logical_disks: [{ raid_level: '1', size_gb: 100 }] } });
    await continueCleaning(task);
  }
  @periodic({ spacing: '1h' })
  housekeeping() {}
}

class InstantDeploy implements DeployInterface {
  async deploy(task: Task): Promise<AsyncOutcome> {
    if (task.node.driver_info.deploy_fails) throw new Error('image unreachable');
    return 'done';
  }
  async tearDown(task: Task) {
    await task.save({ driver_internal_info: { ...task.node.driver_internal_info, torn_down: true } });
  }
}

const testDriver = defineDriver<Options>({
  name: 'test-hw',
  optionsSchema,
  create: (options) => ({
    name: 'test-hw',
    interfaces: {
      power: new FakePower(),
      inspect: new TimedInspect(options),
      raid: new JobRaid(),
      deploy: new InstantDeploy(),
    },
  }),
});

describe('provision actions through the testing harness', () => {
  let harness: DriverHarness;
  afterEach(async () => harness?.close());

  it('enrolls, manages, inspects asynchronously, cleans with RAID, provides, deploys and tears down', async () => {
    harness = await createDriverHarness({
      drivers: [fakeDriver, { package: testDriver, options: { inspection_ms: 5_000 } }],
    });
    expect(harness.tasks.map((t) => t.name).sort()).toEqual([
      'JobRaid.checkJobs',
      'JobRaid.housekeeping',
      'TimedInspect.checkInspection',
    ]);
    const node = await harness.createNode({ driver: 'test-hw', name: 'n1', power_state: 'power off' });
    expect((await harness.provision('n1', { target: 'manage' })).provision_state).toBe('manageable');

    let current = await harness.provision('n1', { target: 'inspect' });
    expect(current).toMatchObject({ provision_state: 'inspect wait', target_provision_state: 'manageable' });
    await harness.advance(10_000);
    current = await harness.node(node.uuid);
    expect(current).toMatchObject({
      provision_state: 'manageable',
      target_provision_state: null,
      properties: { cpus: 4 },
    });

    current = await harness.provision('n1', {
      target: 'clean',
      clean_steps: [
        { interface: 'raid', step: 'delete_configuration' },
        { interface: 'raid', step: 'create_configuration' },
      ],
    });
    expect(current).toMatchObject({ provision_state: 'clean wait', target_provision_state: 'manageable' });
    expect(current.clean_step).toMatchObject({ interface: 'raid', step: 'create_configuration' });
    await harness.advance(120_000);
    current = await harness.node('n1');
    expect(current).toMatchObject({ provision_state: 'manageable', clean_step: {}, last_error: null });
    expect(current.raid_config).toEqual({ logical_disks: [{ raid_level: '1', size_gb: 100 }] });
    expect(current.driver_internal_info.clean_steps).toBeUndefined();

    expect((await harness.provision('n1', { target: 'provide' })).provision_state).toBe('available');
    expect((await harness.provision('n1', { target: 'active' })).provision_state).toBe('active');
    current = await harness.provision('n1', { target: 'deleted' });
    expect(current.provision_state).toBe('available');
    expect(current.driver_internal_info.torn_down).toBe(true);
    expect(current.reservation).toBeNull();
  });

  it('ends failures in the failure state with the reason, and refuses what the state machine forbids', async () => {
    harness = await createDriverHarness({ drivers: [testDriver] });
    await harness.createNode({
      driver: 'test-hw',
      name: 'bad',
      provision_state: 'manageable',
      driver_info: { job_fails: true },
    });
    await harness.provision('bad', {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
    });
    await harness.advance(120_000);
    expect(await harness.node('bad')).toMatchObject({
      provision_state: 'clean failed',
      last_error: 'job failed: disk missing',
      clean_step: {},
    });

    await harness.createNode({
      driver: 'test-hw',
      name: 'fire',
      provision_state: 'manageable',
      driver_info: { fail_raid: true },
    });
    const fire = await harness.provision('fire', {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
    });
    expect(fire).toMatchObject({
      provision_state: 'clean failed',
      last_error: 'Clean step raid.create_configuration failed: controller on fire',
    });

    await harness.createNode({
      driver: 'test-hw',
      name: 'nodeploy',
      provision_state: 'available',
      driver_info: { deploy_fails: true },
    });
    expect(await harness.provision('nodeploy', { target: 'active' })).toMatchObject({
      provision_state: 'deploy failed',
      last_error: 'Deploy failed. Reason: image unreachable',
    });

    await harness.createNode({ driver: 'test-hw', name: 'enrolled' });
    await expect(harness.provision('enrolled', { target: 'inspect' })).rejects.toBeInstanceOf(
      IllegalTransition,
    );
    await expect(harness.provision('enrolled', { target: 'explode' })).rejects.toThrow(
      /The requested action "explode" can not be performed on node ".*" while it is in state "enroll"/,
    );
    expect(await harness.node('enrolled')).toMatchObject({ provision_state: 'enroll', reservation: null });
  });

  it('validates clean steps against the driver before changing anything', async () => {
    harness = await createDriverHarness({ drivers: [fakeDriver, testDriver] });
    await harness.createNode({ driver: 'test-hw', name: 'm', provision_state: 'manageable' });
    await expect(harness.provision('m', { target: 'clean' })).rejects.toBeInstanceOf(InvalidParameterValue);
    await expect(
      harness.provision('m', { target: 'clean', clean_steps: [{ interface: 'raid', step: 'explode' }] }),
    ).rejects.toThrow(/no clean step "explode"/);
    await harness.createNode({ driver: 'fake-hardware', name: 'f', provision_state: 'manageable' });
    await expect(
      harness.provision('f', {
        target: 'clean',
        clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
      }),
    ).rejects.toBeInstanceOf(UnsupportedDriverExtension);
    expect((await harness.node('m')).provision_state).toBe('manageable');
  });

  it('aborts an inspection in inspect wait', async () => {
    harness = await createDriverHarness({ drivers: [testDriver] });
    await harness.createNode({ driver: 'test-hw', name: 'i', provision_state: 'manageable' });
    await harness.provision('i', { target: 'inspect' });
    expect(await harness.provision('i', { target: 'abort' })).toMatchObject({
      provision_state: 'inspect failed',
      last_error: 'Inspection was aborted by request.',
    });
  });

  it('fails the start when a driver option is bad, naming the driver and the field', async () => {
    await expect(
      createDriverHarness({ drivers: [{ package: testDriver, options: { inspection_ms: -1 } }] }),
    ).rejects.toThrow('Invalid options for driver "test-hw": inspection_ms: must be a positive number');
  });
});
