import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseTask,
  RequestAborted,
  retryAfterMs,
  TaskFailed,
  TaskMonitorTimeout,
  taskSucceeded,
} from '../src/index.js';
import { advanceUntilSettled, drive, endpointOf, type Rig, startRig, VOLUMES } from './rig.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => rig.close());

describe('DMTF task monitors', () => {
  it('follows the Location of a 202: 202 and the Task while running, the Task when done', async () => {
    const bmc = await rig.addBmc({ jobDurationMs: 60_000 });
    const client = rig.connector.client(endpointOf(bmc));
    const accepted = await client.post(VOLUMES, {
      RAIDType: 'RAID1',
      Links: { Drives: [drive(0), drive(1)] },
    });
    expect(accepted.status).toBe(202);
    const monitor = client.taskMonitor(accepted);
    expect(monitor.uri).toMatch(/^\/redfish\/v1\/TaskService\/TaskMonitors\/JID_\d+$/);
    expect(monitor.task).toMatchObject({ state: 'Starting', percentComplete: 0 });
    // The BMC asked for 5 s between looks (an HTTP date on its clock).
    expect(monitor.retryAfterMs).toBe(5_000);

    await rig.clock.advance(30_000);
    const running = await monitor.poll();
    expect(running).toMatchObject({ done: false, task: { state: 'Running' }, retryAfterMs: 5_000 });

    const outcome = await advanceUntilSettled(rig.clock, monitor.wait(), 5_000);
    expect(outcome.reply.status).toBe(200);
    expect(outcome.task).toMatchObject({ state: 'Completed', status: 'OK', percentComplete: 100 });
    expect(bmc.volumes.map((volume) => volume.raidType)).toEqual(['RAID1']);
    // A monitor that has answered its final word is not asked again.
    const requests = bmc.stats.requests;
    expect((await monitor.poll()).done).toBe(true);
    expect(bmc.stats.requests).toBe(requests);
  });

  it('waits Retry-After between looks, on the clock', async () => {
    const bmc = await rig.addBmc({ jobDurationMs: 60_000 });
    const client = rig.connector.client(endpointOf(bmc));
    const monitor = client.taskMonitor(
      await client.post(VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(2)] } }),
    );
    const polls = () => bmc.stats.byRoute[`GET ${monitor.uri}`] ?? 0;
    const waiting = monitor.wait();
    await rig.clock.settle(50);
    expect(polls()).toBe(1);
    await rig.clock.advance(4_999);
    expect(polls()).toBe(1);
    await rig.clock.advance(1);
    await rig.clock.settle(50);
    expect(polls()).toBe(2);
    await advanceUntilSettled(rig.clock, waiting, 5_000);
    // 60 s of job at one look per 5 s: about twelve looks, not a busy loop.
    expect(polls()).toBeGreaterThanOrEqual(12);
    expect(polls()).toBeLessThanOrEqual(14);
  });

  it('rejects with TaskFailed, carrying the BMC message, when the task ends in an Exception', async () => {
    const bmc = await rig.addBmc({ jobDurationMs: 10_000, failJobs: 'Unable to create the virtual disk.' });
    const client = rig.connector.client(endpointOf(bmc));
    const monitor = client.taskMonitor(
      await client.post(VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(0)] } }),
    );
    const error = await advanceUntilSettled(rig.clock, monitor.wait(), 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailed);
    expect(error).toMatchObject({
      code: 'TASK_FAILED',
      taskState: 'Exception',
      taskStatus: 'Critical',
      messages: ['Unable to create the virtual disk.'],
    });
    expect((error as Error).message).toContain(
      'ended Exception (Critical): Unable to create the virtual disk.',
    );
  });

  it('gives up with TaskMonitorTimeout, and with RequestAborted when told to', async () => {
    const bmc = await rig.addBmc({ jobDurationMs: 600_000 });
    const client = rig.connector.client(endpointOf(bmc));
    const monitor = client.taskMonitor(
      await client.post(VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(0)] } }),
    );
    const timedOut = await advanceUntilSettled(
      rig.clock,
      monitor.wait({ taskTimeoutMs: 30_000 }),
      5_000,
    ).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TaskMonitorTimeout);
    expect((timedOut as Error).message).toContain('did not finish within 30 s');

    const controller = new AbortController();
    const waiting = monitor.wait({ signal: controller.signal });
    await rig.clock.settle(50);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(RequestAborted);
  });

  it('can be picked up again from a kept monitor URI', async () => {
    const bmc = await rig.addBmc({ jobDurationMs: 10_000 });
    const client = rig.connector.client(endpointOf(bmc));
    const uri = client.taskMonitor(
      await client.post(VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(0)] } }),
    ).uri;
    await rig.clock.advance(10_000);
    const later = client.taskMonitor(uri);
    expect(await later.poll()).toMatchObject({ done: true, task: { state: 'Completed' } });
  });
});

describe('task helpers', () => {
  it('reads a Task and judges it as Ironic does', () => {
    const task = parseTask({
      Id: '545',
      TaskState: 'Completed',
      TaskStatus: 'Warning',
      Messages: [{ Message: 'ok' }],
    });
    expect(task).toMatchObject({ id: '545', state: 'Completed', status: 'Warning' });
    expect(taskSucceeded(task!)).toBe(true);
    expect(taskSucceeded(parseTask({ TaskState: 'Completed', TaskStatus: 'Critical' })!)).toBe(false);
    expect(taskSucceeded(parseTask({ TaskState: 'Killed' })!)).toBe(false);
    expect(parseTask({ Id: 'volume' })).toBeUndefined();
  });

  it('reads Retry-After as delta-seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs('7', now, 1_000)).toBe(7_000);
    expect(retryAfterMs(new Date(now + 3_000).toUTCString(), now, 1_000)).toBe(3_000);
    expect(retryAfterMs(new Date(now - 3_000).toUTCString(), now, 1_000)).toBe(0);
    expect(retryAfterMs(undefined, now, 1_000)).toBe(1_000);
    expect(retryAfterMs('soon', now, 1_000)).toBe(1_000);
    expect(retryAfterMs('100000', now, 1_000)).toBe(300_000);
  });
});
