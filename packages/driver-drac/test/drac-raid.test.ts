import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RAID_JOB_IDS_KEY, RAID_OPERATION_KEY } from '../src/index.js';
import { type DracRig, RAID_CLEAN_STEPS, RAID1_ROOT, startRig } from './rig.js';

const PERIOD_MS = 120_000;

describe('RAID configuration through cleaning, finished by the periodic job poll', () => {
  let rig: DracRig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => rig.close());

  it('creates a RAID-1 root volume: clean wait with the job ids, then manageable with raid_config', async () => {
    const { bmc } = await rig.addNode('ok', { jobDurationMs: 30_000 });
    const waiting = await rig.harness.provision('ok', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    expect(waiting).toMatchObject({ provision_state: 'clean wait', target_provision_state: 'manageable' });
    expect(waiting.clean_step).toMatchObject({ interface: 'raid', step: 'create_configuration' });
    const jobIds = waiting.driver_internal_info[RAID_JOB_IDS_KEY];
    expect(jobIds).toEqual(bmc.jobs.map((job) => job.id));
    expect(jobIds).toHaveLength(1);
    expect(waiting.driver_internal_info[RAID_OPERATION_KEY]).toBe('create');
    expect(bmc.volumes).toEqual([]);

    await rig.harness.advance(PERIOD_MS);
    const done = await rig.harness.node('ok');
    expect(done).toMatchObject({ provision_state: 'manageable', last_error: null, clean_step: {} });
    expect(done.driver_internal_info[RAID_JOB_IDS_KEY]).toBeUndefined();
    expect(done.driver_internal_info.clean_steps).toBeUndefined();
    const [volume] = bmc.volumes;
    expect(volume?.raidType).toBe('RAID1');
    // Two 600 GB (decimal) disks mirrored: 558 GiB, as Ironic counts size_gb.
    expect(done.raid_config).toEqual({
      logical_disks: [
        {
          size_gb: 558,
          raid_level: '1',
          is_root_volume: true,
          controller: 'RAID.Integrated.1-1',
          volume_name: volume?.name,
          physical_disks: [...(volume?.driveIds ?? [])],
        },
      ],
      last_updated: new Date(rig.clock.now()).toISOString(),
    });
    expect(done.properties.local_gb).toBe(558);
    expect(rig.sweep.sweep.errors).toBe(0);
  });

  it('deletes the existing volumes first, then creates the target, each through its own jobs', async () => {
    const { bmc } = await rig.addNode('redo', { jobDurationMs: 30_000 });
    await rig.harness.provision('redo', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await rig.harness.advance(PERIOD_MS);
    const first = bmc.volumes.map((v) => v.id);
    expect(first).toHaveLength(1);

    const deleting = await rig.harness.provision('redo', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    expect(deleting).toMatchObject({ provision_state: 'clean wait' });
    expect(deleting.clean_step).toMatchObject({ step: 'delete_configuration' });
    expect(deleting.driver_internal_info[RAID_OPERATION_KEY]).toBe('delete');

    await rig.harness.advance(PERIOD_MS);
    const creating = await rig.harness.node('redo');
    expect(creating).toMatchObject({ provision_state: 'clean wait', raid_config: {} });
    expect(creating.clean_step).toMatchObject({ step: 'create_configuration' });
    expect(bmc.volumes).toEqual([]);

    await rig.harness.advance(PERIOD_MS);
    const done = await rig.harness.node('redo');
    expect(done.provision_state).toBe('manageable');
    expect(bmc.volumes).toHaveLength(1);
    expect((done.raid_config.logical_disks as unknown[]).length).toBe(1);
  });

  it('changes nothing while the jobs are still running', async () => {
    const { bmc } = await rig.addNode('slow', { jobDurationMs: 3 * PERIOD_MS - 1 });
    const waiting = await rig.harness.provision('slow', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await rig.harness.advance(PERIOD_MS);
    await rig.harness.advance(PERIOD_MS);
    const still = await rig.harness.node('slow');
    expect(still).toEqual(waiting);
    expect(bmc.jobs[0]?.state).toBe('Running');
    expect(rig.sweep.sweep).toMatchObject({ runs: 2, visited: 2, handled: 0, errors: 0 });

    await rig.harness.advance(PERIOD_MS);
    expect((await rig.harness.node('slow')).provision_state).toBe('manageable');
  });

  it('fails cleaning with the BMC message when a job fails', async () => {
    const message = 'Unable to complete the operation because the physical disk is not in Ready state.';
    await rig.addNode('bad', { failJobs: message });
    await rig.harness.provision('bad', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await rig.harness.advance(PERIOD_MS);
    const failed = await rig.harness.node('bad');
    expect(failed.provision_state).toBe('clean failed');
    expect(failed.last_error).toMatch(/^RAID configuration job JID_\d+ failed: /);
    expect(failed.last_error).toContain(message);
    expect(failed.driver_internal_info[RAID_JOB_IDS_KEY]).toBeUndefined();
    expect(failed.raid_config).toEqual({});
    expect(failed.reservation).toBeNull();
  });

  it('fails the step when a job ends CompletedWithErrors, naming the state and the BMC message', async () => {
    const message = 'Virtual disk created with errors: one physical disk is degraded.';
    const { bmc } = await rig.addNode('partial', {
      failJobs: message,
      failedJobState: 'CompletedWithErrors',
    });
    await rig.harness.provision('partial', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await rig.harness.advance(PERIOD_MS);
    expect(bmc.jobs[0]?.state).toBe('CompletedWithErrors');
    const failed = await rig.harness.node('partial');
    expect(failed.provision_state).toBe('clean failed');
    expect(failed.last_error).toBe(`RAID configuration job ${bmc.jobs[0]?.id} failed: ${message}`);
    expect(failed.raid_config).toEqual({});
    expect(failed.driver_internal_info[RAID_JOB_IDS_KEY]).toBeUndefined();
  });

  it.each([
    ['unreachable', (on: boolean, bmc: { setUnreachable(v: boolean): void }) => bmc.setUnreachable(on)],
    ['answering 500', (on: boolean, bmc: { setServerError(v: boolean): void }) => bmc.setServerError(on)],
  ] as const)(
    'keeps the node waiting while its BMC is %s, with the error in last_error, and recovers next period',
    async (_, fault) => {
      const { bmc } = await rig.addNode('flaky', { jobDurationMs: 30_000 });
      const waiting = await rig.harness.provision('flaky', {
        target: 'clean',
        clean_steps: RAID_CLEAN_STEPS,
      });
      fault(true, bmc as never);
      await rig.harness.advance(PERIOD_MS);
      const failing = await rig.harness.node('flaky');
      expect(failing).toMatchObject({
        provision_state: waiting.provision_state,
        target_provision_state: waiting.target_provision_state,
        driver_internal_info: waiting.driver_internal_info,
        reservation: null,
      });
      // The operator sees why the node is stuck; the conductor's clean_callback_timeout will name it.
      expect(failing.last_error).toMatch(
        /^DracRAID\.checkRaidConfigJobs failed: .*BMC at http:\/\/127\.0\.0\.1:\d+/i,
      );
      expect(rig.sweep.sweep.errors).toBe(1);

      fault(false, bmc as never);
      await rig.harness.advance(PERIOD_MS);
      expect(await rig.harness.node('flaky')).toMatchObject({
        provision_state: 'manageable',
        last_error: null,
      });
      expect(rig.sweep.sweep.errors).toBe(1);
    },
  );

  it('fails the clean step with a clear last_error when the BMC rejects the credentials', async () => {
    await rig.addNode('creds', {}, { driver_info: { redfish_password: 'wrong' } });
    const failed = await rig.harness.provision('creds', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    expect(failed.provision_state).toBe('clean failed');
    expect(failed.last_error).toMatch(
      /^Clean step raid\.delete_configuration failed: The BMC at http:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "root"/,
    );
    expect(failed.last_error).toContain('redfish_username and redfish_password');
    expect(failed.last_error).toContain('authentication failed');
  });

  it('fails a waiting clean when the credentials stop working while its jobs run', async () => {
    const { node } = await rig.addNode('rotated', { jobDurationMs: 30_000 });
    await rig.harness.provision('rotated', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await rig.harness.repository.reserve(node.uuid, 'test-conductor');
    await rig.harness.repository.update(node.uuid, 'test-conductor', {
      driver_info: { ...node.driver_info, redfish_password: 'rotated-away' },
    });
    await rig.harness.repository.release(node.uuid, 'test-conductor');
    await rig.harness.advance(PERIOD_MS);
    const failed = await rig.harness.node('rotated');
    expect(failed.provision_state).toBe('clean failed');
    expect(failed.last_error).toMatch(
      /^Failed to check RAID configuration jobs: The BMC at .* rejected the credentials/,
    );
  });

  it('skips nodes in maintenance and nodes locked by someone else', async () => {
    const { node } = await rig.addNode('held', { jobDurationMs: 30_000 });
    const waiting = await rig.harness.provision('held', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await rig.harness.repository.reserve(node.uuid, 'another-conductor');
    await rig.harness.advance(PERIOD_MS);
    expect(await rig.harness.node('held')).toMatchObject({
      provision_state: 'clean wait',
      reservation: 'another-conductor',
    });
    await rig.harness.repository.update(node.uuid, 'another-conductor', { maintenance: true });
    await rig.harness.repository.release(node.uuid, 'another-conductor');
    await rig.harness.advance(PERIOD_MS);
    expect((await rig.harness.node('held')).provision_state).toBe('clean wait');
    expect(rig.sweep.sweep.visited).toBe(0);

    await rig.harness.repository.reserve(node.uuid, 'another-conductor');
    await rig.harness.repository.update(node.uuid, 'another-conductor', { maintenance: false });
    await rig.harness.repository.release(node.uuid, 'another-conductor');
    await rig.harness.advance(PERIOD_MS);
    expect((await rig.harness.node('held')).provision_state).toBe('manageable');
    expect(waiting.driver_internal_info[RAID_JOB_IDS_KEY]).toHaveLength(1);
  });

  it('forgets the jobs of a clean that was aborted, leaving the node as the abort left it', async () => {
    await rig.addNode('aborted', { jobDurationMs: 30_000 });
    await rig.harness.provision('aborted', { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    const aborted = await rig.harness.provision('aborted', { target: 'abort' });
    expect(aborted.provision_state).toBe('clean failed');
    expect(aborted.driver_internal_info[RAID_JOB_IDS_KEY]).toHaveLength(1);
    await rig.harness.advance(PERIOD_MS);
    const after = await rig.harness.node('aborted');
    expect(after).toMatchObject({
      provision_state: 'clean failed',
      last_error: aborted.last_error,
      raid_config: {},
    });
    expect(after.driver_internal_info[RAID_JOB_IDS_KEY]).toBeUndefined();
    expect(after.driver_internal_info[RAID_OPERATION_KEY]).toBeUndefined();
  });

  it('fails the clean step when the node has no target_raid_config', async () => {
    await rig.addNode('notarget', {}, { target_raid_config: {} });
    const failed = await rig.harness.provision('notarget', {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
    });
    expect(failed).toMatchObject({ provision_state: 'clean failed' });
    expect(failed.last_error).toMatch(
      /Clean step raid\.create_configuration failed: Node .* has no target RAID configuration\./,
    );
  });

  it('fails the clean step naming the logical disk when the hardware cannot give it', async () => {
    await rig.addNode(
      'small',
      { drives: [{ capacityGb: 600 }, { capacityGb: 600 }] },
      {
        target_raid_config: { logical_disks: [{ size_gb: 100, raid_level: '5' }] },
      },
    );
    const failed = await rig.harness.provision('small', {
      target: 'clean',
      clean_steps: [{ interface: 'raid', step: 'create_configuration' }],
    });
    expect(failed.provision_state).toBe('clean failed');
    expect(failed.last_error).toContain(
      'logical_disks[0]: not enough free physical disks on RAID.Integrated.1-1',
    );
  });

  it('validates a target_raid_config through the driver, naming the bad field', async () => {
    const { node } = await rig.addNode('validate');
    const task = await rig.harness.nodes.acquire(node.uuid, { shared: true });
    const raid = rig.driver.interfaces.raid;
    expect(() => raid.validateRaidConfig(task, RAID1_ROOT as never)).not.toThrow();
    expect(() =>
      raid.validateRaidConfig(task, {
        // A client may send anything; the driver must name what is wrong.
        logical_disks: [
          { size_gb: 10, raid_level: '1' },
          { size_gb: 'big', raid_level: '0' },
        ],
      } as never),
    ).toThrow(
      'RAID config validation error: logical_disks[1].size_gb: "big" is neither a positive integer nor "MAX"',
    );
    await task.release();
  });
});
