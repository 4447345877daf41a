import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '../src/redfish/index.js';
import { type Answer, FakeClock, call as request } from './redfish-helpers.js';

const CONTROLLER = 'RAID.Integrated.1-1';
const STORAGE = `/redfish/v1/Systems/System.Embedded.1/Storage/${CONTROLLER}`;
const VOLUMES = `${STORAGE}/Volumes`;
const JOBS = '/redfish/v1/Managers/iDRAC.Embedded.1/Jobs';

const drive = (bay: number) => ({
  '@odata.id': `${STORAGE}/Drives/Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`,
});

let clock: FakeClock;
let fleet: RedfishFleet;
let bmc: SimulatedBmc;

function call(method: string, path: string, body?: unknown, raw?: string): Promise<Answer> {
  return request(bmc.url, method, path, body, raw === undefined ? {} : { raw });
}

function messageIds(answer: Answer): string[] {
  const error = answer.body?.error as { '@Message.ExtendedInfo': Array<{ MessageId: string }> } | undefined;
  return (error?.['@Message.ExtendedInfo'] ?? []).map((m) => m.MessageId);
}

/** The Dell job behind a task monitor's `Location` (the job id is its last segment). */
async function jobAt(location: string): Promise<Record<string, unknown>> {
  const answer = await call('GET', `${JOBS}/${location.split('/').pop()}`);
  expect(answer.status).toBe(200);
  return answer.body ?? {};
}

beforeEach(async () => {
  clock = new FakeClock();
  fleet = await startRedfishFleet({ clock });
  bmc = await fleet.addBmc({ jobDurationMs: 60_000 });
});

afterEach(async () => {
  await fleet.close();
});

describe('RAID volumes through iDRAC jobs', () => {
  it('creates a RAID1 volume through a job that runs on the clock', async () => {
    const created = await call('POST', VOLUMES, {
      RAIDType: 'RAID1',
      Name: 'os',
      Links: { Drives: [drive(0), drive(1)] },
    });
    expect(created.status).toBe(202);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/redfish\/v1\/TaskService\/TaskMonitors\/JID_\d{12}$/);

    const scheduled = await jobAt(location);
    expect(scheduled['@odata.type']).toMatch(/^#DellJob\.v1_\d+_\d+\.DellJob$/);
    expect(scheduled.Id).toBe(location.split('/').pop());
    expect(scheduled.JobState).toBe('Scheduled');
    expect(scheduled.JobType).toBe('RealTimeNoRebootConfiguration');
    expect(scheduled.PercentComplete).toBe(0);
    expect(typeof scheduled.Message).toBe('string');
    expect(typeof scheduled.MessageId).toBe('string');
    expect(scheduled.Name).toBe(`Configure: ${CONTROLLER}`);
    expect((await call('GET', VOLUMES)).body?.Members).toEqual([]);

    clock.advance(30_000);
    const running = await jobAt(location);
    expect(running.JobState).toBe('Running');
    expect(running.PercentComplete).toBeGreaterThan(0);
    expect(running.PercentComplete).toBeLessThan(100);
    clock.advance(15_000);
    const later = await jobAt(location);
    expect(later.JobState).toBe('Running');
    expect(later.PercentComplete).toBeGreaterThan(running.PercentComplete as number);

    clock.advance(15_000);
    const completed = await jobAt(location);
    expect(completed.JobState).toBe('Completed');
    expect(completed.PercentComplete).toBe(100);
    expect(completed.Message).toBe('Job completed successfully.');

    const volumes = await call('GET', VOLUMES);
    const id = `Disk.Virtual.0:${CONTROLLER}`;
    expect(volumes.body?.Members).toEqual([{ '@odata.id': `${VOLUMES}/${id}` }]);
    expect(volumes.body?.['Members@odata.count']).toBe(1);
    const volume = (await call('GET', `${VOLUMES}/${id}`)).body ?? {};
    expect(volume['@odata.type']).toMatch(/^#Volume\.v1_\d+_\d+\.Volume$/);
    expect(volume.Id).toBe(id);
    expect(volume.Name).toBe('os');
    expect(volume.RAIDType).toBe('RAID1');
    expect(volume.VolumeType).toBe('Mirrored');
    expect(volume.Encrypted).toBe(false);
    expect(volume.CapacityBytes).toBe(600_000_000_000);
    expect((volume.Links as { Drives: unknown[] }).Drives).toEqual([drive(0), drive(1)]);
    expect(bmc.volumes).toEqual([
      {
        id,
        name: 'os',
        raidType: 'RAID1',
        capacityBytes: 600_000_000_000,
        driveIds: [0, 1].map((bay) => `Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`),
      },
    ]);
    const usedDrive = (await call('GET', drive(0)['@odata.id'])).body ?? {};
    expect((usedDrive.Links as { Volumes: unknown[] }).Volumes).toEqual([
      { '@odata.id': `${VOLUMES}/${id}` },
    ]);
  });

  it('lists jobs in the Dell job collection, expanded on request, and under Oem/Dell/Jobs', async () => {
    const created = await call('POST', VOLUMES, { RAIDType: 'RAID0', Links: { Drives: [drive(2)] } });
    const jobId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
    const collection = await call('GET', JOBS);
    expect(collection.body?.Members).toEqual([{ '@odata.id': `${JOBS}/${jobId}` }]);
    const expanded = await call('GET', `${JOBS}?$expand=*($levels=1)`);
    const [member] = (expanded.body?.Members ?? []) as Array<Record<string, unknown>>;
    expect(member?.Id).toBe(jobId);
    expect(member?.JobState).toBe('Scheduled');
    const oem = await call('GET', `/redfish/v1/Managers/iDRAC.Embedded.1/Oem/Dell/Jobs/${jobId}`);
    expect(oem.status).toBe(200);
    expect(oem.body?.Id).toBe(jobId);
    expect(bmc.jobs.map((j) => j.id)).toEqual([jobId]);
    const starting = await call('GET', `/redfish/v1/TaskService/Tasks/${jobId}`);
    expect(starting.body?.['@odata.type']).toMatch(/^#Task\.v1_\d+_\d+\.Task$/);
    expect(starting.body?.TaskState).toBe('Starting');
    expect((starting.body?.Oem as { Dell?: Record<string, unknown> } | undefined)?.Dell?.JobState).toBe(
      'Scheduled',
    );
    clock.advance(60_000);
    const done = await call('GET', `/redfish/v1/TaskService/Tasks/${jobId}`);
    expect([done.body?.TaskState, done.body?.TaskStatus, done.body?.PercentComplete]).toEqual([
      'Completed',
      'OK',
      100,
    ]);
    expect((await call('GET', `${JOBS}/JID_000000000000`)).status).toBe(404);
  });

  it('defaults CapacityBytes to the largest the drives allow and names volumes in order', async () => {
    const small = await fleet.addBmc({
      jobDurationMs: 0,
      drives: [{ capacityGb: 600 }, { capacityGb: 1200 }, { capacityGb: 1200 }, { capacityGb: 300 }],
    });
    bmc = small;
    expect(
      (await call('POST', VOLUMES, { RAIDType: 'RAID5', Links: { Drives: [drive(0), drive(1), drive(2)] } }))
        .status,
    ).toBe(202);
    expect(
      (
        await call('POST', VOLUMES, {
          RAIDType: 'RAID0',
          CapacityBytes: 100_000_000_000,
          Links: { Drives: [drive(3)] },
        })
      ).status,
    ).toBe(202);
    expect(small.volumes.map((v) => [v.id, v.raidType, v.capacityBytes, v.name])).toEqual([
      [`Disk.Virtual.0:${CONTROLLER}`, 'RAID5', 1_200_000_000_000, 'Virtual Disk 0'],
      [`Disk.Virtual.1:${CONTROLLER}`, 'RAID0', 100_000_000_000, 'Virtual Disk 1'],
    ]);
  });

  it('ends the job Failed with the configured message and creates no volume', async () => {
    bmc.setFailJobs('Unable to create the virtual disk.');
    const created = await call('POST', VOLUMES, {
      RAIDType: 'RAID1',
      Links: { Drives: [drive(0), drive(1)] },
    });
    const location = created.headers.get('location') ?? '';
    clock.advance(60_000);
    const failed = await jobAt(location);
    expect(failed.JobState).toBe('Failed');
    expect(failed.Message).toBe('Unable to create the virtual disk.');
    expect(failed.MessageId).toMatch(/^[A-Z]+\d+$/);
    const failedTask = await call('GET', `/redfish/v1/TaskService/Tasks/${failed.Id}`);
    expect([failedTask.body?.TaskState, failedTask.body?.TaskStatus]).toEqual(['Exception', 'Critical']);
    expect((await call('GET', VOLUMES)).body?.Members).toEqual([]);
    expect(bmc.volumes).toEqual([]);

    // The drives are free again once the failed job has ended.
    bmc.setFailJobs(false);
    const retried = await call('POST', VOLUMES, {
      RAIDType: 'RAID1',
      Links: { Drives: [drive(0), drive(1)] },
    });
    expect(retried.status).toBe(202);
    clock.advance(60_000);
    expect(bmc.volumes.map((v) => v.raidType)).toEqual(['RAID1']);
  });

  it('deletes a volume through a job; the volume stays until the job completes', async () => {
    await call('POST', VOLUMES, { RAIDType: 'RAID1', Links: { Drives: [drive(0), drive(1)] } });
    clock.advance(60_000);
    const id = `Disk.Virtual.0:${CONTROLLER}`;
    const deleted = await call('DELETE', `${VOLUMES}/${id}`);
    expect(deleted.status).toBe(202);
    const location = deleted.headers.get('location') ?? '';
    expect(location).toMatch(/\/TaskMonitors\/JID_\d{12}$/);
    expect((await jobAt(location)).JobType).toBe('RealTimeNoRebootConfiguration');
    expect((await call('GET', `${VOLUMES}/${id}`)).status).toBe(200);
    const again = await call('DELETE', `${VOLUMES}/${id}`);
    expect(again.status).toBe(400);
    expect(messageIds(again)).toEqual([expect.stringMatching(/\.ResourceInUse$/)]);

    clock.advance(60_000);
    expect((await jobAt(location)).JobState).toBe('Completed');
    expect((await call('GET', `${VOLUMES}/${id}`)).status).toBe(404);
    expect((await call('GET', VOLUMES)).body?.Members).toEqual([]);
    expect((await call('DELETE', `${VOLUMES}/${id}`)).status).toBe(404);
  });

  it('keeps the drives of a pending volume reserved', async () => {
    expect(
      (await call('POST', VOLUMES, { RAIDType: 'RAID1', Links: { Drives: [drive(0), drive(1)] } })).status,
    ).toBe(202);
    const clash = await call('POST', VOLUMES, { RAIDType: 'RAID1', Links: { Drives: [drive(1), drive(2)] } });
    expect(clash.status).toBe(400);
    expect(messageIds(clash)).toEqual([expect.stringMatching(/^Base\.1\.\d+\.ResourceInUse$/)]);
    const second = await call('POST', VOLUMES, {
      RAIDType: 'RAID1',
      Links: { Drives: [drive(2), drive(3)] },
    });
    expect(second.status).toBe(202);
    clock.advance(60_000);
    expect(bmc.volumes.map((v) => v.id)).toEqual([
      `Disk.Virtual.0:${CONTROLLER}`,
      `Disk.Virtual.1:${CONTROLLER}`,
    ]);
  });

  it.each([
    ['malformed JSON', undefined, '{"RAIDType":', /^Base\.1\.\d+\.MalformedJSON$/],
    ['missing RAIDType', { Links: { Drives: [drive(0)] } }, undefined, /^Base\.1\.\d+\.PropertyMissing$/],
    [
      'unknown RAIDType',
      { RAIDType: 'RAID7', Links: { Drives: [drive(0)] } },
      undefined,
      /^Base\.1\.\d+\.PropertyValueNotInList$/,
    ],
    [
      'RAIDType of the wrong type',
      { RAIDType: 1, Links: { Drives: [drive(0)] } },
      undefined,
      /PropertyValueTypeError$/,
    ],
    ['missing Links.Drives', { RAIDType: 'RAID0' }, undefined, /^Base\.1\.\d+\.PropertyMissing$/],
    [
      'an unknown drive',
      {
        RAIDType: 'RAID0',
        Links: {
          Drives: [{ '@odata.id': `${STORAGE}/Drives/Disk.Bay.9:Enclosure.Internal.0-1:${CONTROLLER}` }],
        },
      },
      undefined,
      /^Base\.1\.\d+\.ResourceMissingAtURI$/,
    ],
    [
      'a drive listed twice',
      { RAIDType: 'RAID1', Links: { Drives: [drive(0), drive(0)] } },
      undefined,
      /ResourceInUse$/,
    ],
    [
      'too few drives for RAID5',
      { RAIDType: 'RAID5', Links: { Drives: [drive(0), drive(1)] } },
      undefined,
      /^Base\.1\.\d+\.PropertyValueConflict$/,
    ],
    [
      'an odd drive count for RAID10',
      { RAIDType: 'RAID10', Links: { Drives: [drive(0), drive(1), drive(2)] } },
      undefined,
      /PropertyValueConflict$/,
    ],
    [
      'more capacity than the drives hold',
      { RAIDType: 'RAID1', CapacityBytes: 600_000_000_001, Links: { Drives: [drive(0), drive(1)] } },
      undefined,
      /^Base\.1\.\d+\.PropertyValueOutOfRange$/,
    ],
    [
      'a non-integer CapacityBytes',
      { RAIDType: 'RAID1', CapacityBytes: '10GB', Links: { Drives: [drive(0), drive(1)] } },
      undefined,
      /PropertyValueTypeError$/,
    ],
  ])('rejects %s with 400 and ExtendedInfo', async (_label, body, raw, messageId) => {
    const answer = await call('POST', VOLUMES, body, raw);
    expect(answer.status).toBe(400);
    const error = answer.body?.error as Record<string, unknown>;
    expect(error.code).toMatch(/^Base\.1\.\d+\.GeneralError$/);
    expect(typeof error.message).toBe('string');
    const [info] = error['@Message.ExtendedInfo'] as Array<Record<string, unknown>>;
    expect(info?.MessageId).toMatch(messageId);
    expect(typeof info?.Message).toBe('string');
    expect(typeof info?.Resolution).toBe('string');
    expect(['Warning', 'Critical']).toContain(info?.Severity);
    expect(bmc.jobs).toEqual([]);
  });
});
