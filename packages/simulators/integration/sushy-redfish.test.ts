// The Redfish (iDRAC) simulator held against sushy (Debian's python3-sushy 4.3), the Redfish client Ironic
// uses: sushy logs in, walks the service as Ironic's interfaces do, builds a RAID-1 volume and follows its
// task monitor to the end, then a RAID-0 one the blocking way. The simulator runs on a fake clock that the
// test moves when sushy waits on a task.
import { ManualClock } from '@ironic/periodic-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RedfishFleet, type SimulatedBmc, startRedfishFleet } from '../src/redfish/index.js';
import { pythonPeer } from './support/peers.js';
import { PythonScript } from './support/python-script.js';

const sushy = pythonPeer(['sushy'], 'python3-sushy');
const JOB_MS = 60_000;
const CONTROLLER = 'RAID.Integrated.1-1';
const drive = (bay: number) => `Disk.Bay.${bay}:Enclosure.Internal.0-1:${CONTROLLER}`;

describe.skipIf(sushy.skip)('sushy against the Redfish simulator', () => {
  let clock: ManualClock;
  let fleet: RedfishFleet;
  let bmc: SimulatedBmc;
  let script: PythonScript | undefined;

  beforeEach(async () => {
    sushy.assertPresent();
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    fleet = await startRedfishFleet({ clock });
    bmc = await fleet.addBmc({ jobDurationMs: JOB_MS, powerState: 'On' });
  });
  afterEach(async () => {
    script?.kill();
    await fleet?.close();
  });

  it('walks the service, creates a RAID-1 volume and follows its task monitor to the end', async () => {
    script = new PythonScript(sushy.python as string, 'sushy_raid.py', [bmc.url, bmc.username, bmc.password]);

    const walked = await script.next('walked');
    expect(walked).toMatchObject({
      auth: 'session',
      power_state: 'On',
      cpus: expect.any(Number),
      cpu_arch: 'x86',
      memory_gib: 192,
      simple_storage_bytes: [600_000_000_000, 600_000_000_000, 600_000_000_000, 600_000_000_000],
      bios_boot_mode: 'Uefi',
      boot_mode: 'UEFI',
      managers: ['iDRAC.Embedded.1'],
      chassis: ['System.Embedded.1', 'Enclosure.Internal.0-1'],
      system_chassis: ['System.Embedded.1'],
      storage: CONTROLLER,
      volumes: [],
      apply_times: ['Immediate'],
      tasks: [],
      session_timeout: 1800,
    });
    expect(walked.reset_values).toEqual(expect.arrayContaining(['On', 'ForceOff', 'ForceRestart']));
    expect(walked.macs).toHaveLength(2);
    expect(walked.raid_types).toEqual(expect.arrayContaining(['RAID0', 'RAID1', 'RAID5', 'RAID10']));
    expect(walked.drives).toEqual(
      [0, 1, 2, 3].map((bay) => ({ id: drive(bay), bytes: 600_000_000_000, media: 'HDD', protocol: 'SAS' })),
    );
    // sushy logged in through the SessionService, and sent its token rather than Basic from then on.
    expect(bmc.stats.sessionsCreated).toBe(1);

    const accepted = await script.next('accepted');
    expect(accepted).toMatchObject({ processing: true, task_state: 'Starting' });
    expect(accepted.monitor).toMatch(/^\/redfish\/v1\/TaskService\/TaskMonitors\/JID_\d+$/);
    expect(await script.next('polled')).toMatchObject({ processing: true, task_state: 'Starting' });
    await script.next('waiting');
    await clock.advance(JOB_MS);
    script.send('advanced');

    const done = await script.next('done');
    const jobId = String(accepted.monitor).split('/').pop();
    expect(done).toMatchObject({
      processing: false,
      task_id: jobId,
      task_state: 'Completed',
      task_status: 'OK',
      percent: 100,
      messages: ['Job completed successfully.'],
      volumes: [
        {
          id: `Disk.Virtual.0:${CONTROLLER}`,
          raid: 'RAID1',
          bytes: 600_000_000_000,
          drives: [drive(0), drive(1)],
        },
      ],
    });
    expect(bmc.volumes.map((volume) => volume.raidType)).toEqual(['RAID1']);

    // Blocking creation: sushy polls the task monitor inside create(); each look moves the clock on.
    const monitorPolls: string[] = [];
    bmc.events.on('request', (method, path, status) => {
      if (method === 'GET' && path.includes('/TaskMonitors/') && status === 202) {
        monitorPolls.push(path);
        void clock.advance(JOB_MS);
      }
    });
    await script.next('blocking');
    expect(await script.next('created')).toMatchObject({ result: null, raid_types: ['RAID0', 'RAID1'] });
    expect(monitorPolls.length).toBeGreaterThanOrEqual(1);

    await script.next('logged-out');
    await script.done();
    expect(bmc.sessions).toEqual([]);
  });

  it('falls back to HTTP Basic on a BMC without a SessionService, as sushy does', async () => {
    const basicOnly = await fleet.addBmc({ id: 'basic-only', sessionService: false });
    script = new PythonScript(sushy.python as string, 'sushy_raid.py', [
      basicOnly.url,
      basicOnly.username,
      basicOnly.password,
      '--walk-only',
    ]);
    expect(await script.next('walked')).toMatchObject({ auth: 'basic', power_state: 'Off' });
    await script.done();
    expect(basicOnly.stats.sessionsCreated).toBe(0);
  });
});
