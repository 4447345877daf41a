import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '../src/redfish/index.js';
import { type Answer, FakeClock, call as request } from './redfish-helpers.js';

const CONTROLLER = 'RAID.Integrated.1-1';
const STORAGE = `/redfish/v1/Systems/System.Embedded.1/Storage/${CONTROLLER}`;
const VOLUMES = `${STORAGE}/Volumes`;
const drive = (bay: number) => ({
  '@odata.id': `${STORAGE}/Drives/Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`,
});

let clock: FakeClock;
let fleet: RedfishFleet;
let bmc: SimulatedBmc;

function call(method: string, path: string, body?: unknown): Promise<Answer> {
  return request(bmc.url, method, path, body);
}

beforeEach(async () => {
  clock = new FakeClock();
  fleet = await startRedfishFleet({ clock });
  bmc = await fleet.addBmc({ jobDurationMs: 60_000 });
});

afterEach(async () => {
  await fleet.close();
});

describe('DMTF task monitors beside the iDRAC jobs', () => {
  it('answers 202 with the Task while the job is Scheduled or Running, then 200 with the final Task', async () => {
    const created = await call('POST', VOLUMES, {
      RAIDType: 'RAID1',
      Links: { Drives: [drive(0), drive(1)] },
    });
    expect(created.status).toBe(202);
    const monitor = created.headers.get('location') ?? '';
    const id = monitor.split('/').pop() ?? '';
    expect(monitor).toBe(`/redfish/v1/TaskService/TaskMonitors/${id}`);
    // The 202's body is the Task without an @odata.id: sushy would otherwise poll the Task resource.
    expect(created.body).toMatchObject({ Id: id, TaskState: 'Starting', TaskMonitor: monitor });
    expect(created.body).not.toHaveProperty('@odata.id');
    // An HTTP date on the BMC's clock, not delta-seconds (which crash sushy 4.3).
    expect(Date.parse(created.headers.get('retry-after') ?? '')).toBe(clock.time + 5_000);

    const scheduled = await call('GET', monitor);
    expect(scheduled.status).toBe(202);
    expect(scheduled.headers.get('location')).toBe(monitor);
    expect(scheduled.body).toMatchObject({ TaskState: 'Starting', PercentComplete: 0 });

    clock.time += 30_000;
    const running = await call('GET', monitor);
    expect(running.status).toBe(202);
    expect(running.body?.TaskState).toBe('Running');
    expect(running.body?.PercentComplete).toBeGreaterThan(0);
    expect(running.body?.Oem).toMatchObject({ Dell: { JobState: 'Running' } });
    // Meanwhile the Task resource and the Dell job are ordinary resources: 200.
    expect((await call('GET', `/redfish/v1/TaskService/Tasks/${id}`)).status).toBe(200);
    expect((await call('GET', `/redfish/v1/Managers/iDRAC.Embedded.1/Jobs/${id}`)).body?.JobState).toBe(
      'Running',
    );

    clock.time += 30_000;
    const done = await call('GET', monitor);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      '@odata.id': `/redfish/v1/TaskService/Tasks/${id}`,
      TaskState: 'Completed',
      TaskStatus: 'OK',
      PercentComplete: 100,
    });
    expect(done.headers.get('retry-after')).toBeNull();
  });

  it('ends a failed job as an Exception Task with the BMC message', async () => {
    bmc.setFailJobs('Unable to create the virtual disk.');
    const created = await call('POST', VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(2)] } });
    clock.time += 60_000;
    const done = await call('GET', created.headers.get('location') ?? '');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ TaskState: 'Exception', TaskStatus: 'Critical' });
    expect(done.body?.Messages).toEqual([
      expect.objectContaining({ Message: 'Unable to create the virtual disk.', Severity: 'Critical' }),
    ]);
  });

  it('gives a task monitor for deletions too, and 404 for one it never made', async () => {
    await call('POST', VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(3)] } });
    clock.time += 60_000;
    const deleted = await call('DELETE', `${VOLUMES}/Disk.Virtual.0:${CONTROLLER}`);
    expect(deleted.status).toBe(202);
    expect((await call('GET', deleted.headers.get('location') ?? '')).status).toBe(202);
    expect((await call('GET', '/redfish/v1/TaskService/TaskMonitors/JID_000000000000')).status).toBe(404);
  });

  it('serves the TaskService and lists every job as a Task', async () => {
    const created = await call('POST', VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(0)] } });
    const id = (created.headers.get('location') ?? '').split('/').pop();
    const service = await call('GET', '/redfish/v1/TaskService');
    expect(service.body).toMatchObject({
      Id: 'TaskService',
      ServiceEnabled: true,
      Tasks: { '@odata.id': '/redfish/v1/TaskService/Tasks' },
    });
    expect(service.body?.['@odata.type']).toMatch(/^#TaskService\.v1_\d+_\d+\.TaskService$/);
    expect((await call('GET', '/redfish/v1/TaskService/Tasks')).body?.Members).toEqual([
      { '@odata.id': `/redfish/v1/TaskService/Tasks/${id}` },
    ]);
  });

  it('accepts only the apply time it advertises', async () => {
    const collection = await call('GET', VOLUMES);
    expect(collection.body?.['@Redfish.OperationApplyTimeSupport']).toMatchObject({
      SupportedValues: ['Immediate'],
    });
    const onReset = await call('POST', VOLUMES, {
      RAIDType: 'RAID0',
      Links: { Drives: [drive(0)] },
      '@Redfish.OperationApplyTime': 'OnReset',
    });
    expect(onReset.status).toBe(400);
    expect(JSON.stringify(onReset.body)).toContain('PropertyValueNotInList');
    const immediate = await call('POST', VOLUMES, {
      RAIDType: 'RAID0',
      Links: { Drives: [drive(0)] },
      '@Redfish.OperationApplyTime': 'Immediate',
    });
    expect(immediate.status).toBe(202);
  });
});
