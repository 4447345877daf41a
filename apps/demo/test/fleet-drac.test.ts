// 100 iDRACs cleaned with a RAID-1 root volume through the conductor's Ironic API, with the real drac driver
// package talking Redfish to simulated BMCs; one fake clock moves the RAID job poll and the BMCs' jobs.
import { ManualClock } from '@ironic/periodic-core';
import {
  HttpConcurrencyProbe,
  type RedfishFleet,
  type SimulatedBmc,
  startRedfishFleet,
} from '@ironic/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetConductor, faultString } from './support/fleet-conductor.js';

const FLEET = 100;
const FAILING = new Set([7, 23, 42, 64, 99]);
const FAILURE = 'Unable to create the virtual disk because the physical disk is in a foreign state.';
const POLL_S = 60;
/** All BMCs together. */
const MAX_CONCURRENT = 5;
/** Each BMC. */
const PER_BMC = 1;

/** Ironic's RAID-1 root volume over whatever two disks the driver picks. */
const RAID1_ROOT = { logical_disks: [{ size_gb: 'MAX', raid_level: '1', is_root_volume: true }] };
/** Ironic's RAID clean steps, as an operator runs them. */
const RAID_CLEAN_STEPS = [
  { interface: 'raid', step: 'delete_configuration' },
  { interface: 'raid', step: 'create_configuration' },
];

function driverInfoFor(bmc: SimulatedBmc, password = bmc.password) {
  return { redfish_address: bmc.url, redfish_username: bmc.username, redfish_password: password };
}

async function startDracFleet(clock: ManualClock): Promise<FleetConductor> {
  return FleetConductor.start({
    clock,
    drivers: ['@ironic/driver-drac'],
    driverOptions: {
      drac: {
        query_raid_config_job_status_interval: POLL_S,
        max_requests_per_bmc: PER_BMC,
        max_concurrent_requests: MAX_CONCURRENT,
      },
    },
  });
}

describe('a fleet of iDRACs cleaned with a RAID-1 root volume through the conductor API', () => {
  let fleet: FleetConductor | undefined;
  let bmcs: RedfishFleet | undefined;
  let probe: HttpConcurrencyProbe | undefined;
  afterEach(async () => {
    probe?.stop();
    await fleet?.close();
    await bmcs?.close();
  });

  it('ends manageable with raid_config, or clean failed with the BMC’s message, within the request bounds', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    bmcs = await startRedfishFleet({ clock });
    fleet = await startDracFleet(clock);
    const api = fleet;

    const machines: { index: number; uuid: string; bmc: SimulatedBmc }[] = [];
    for (let index = 0; index < FLEET; index++) {
      const bmc = await bmcs.addBmc({
        id: `node-${index}`,
        // One request at a time, as the driver is told: a second one at once would be a 503.
        maxConcurrentRequests: PER_BMC,
        jobDurationMs: 20_000 + (index % 5) * 20_000,
        failJobs: FAILING.has(index) ? FAILURE : false,
        powerState: 'On',
      });
      const node = await api.createNode({
        name: `node-${index}`,
        driver: 'drac',
        driver_info: driverInfoFor(bmc),
      });
      machines.push({ index, uuid: node.uuid, bmc });
    }
    probe = new HttpConcurrencyProbe();

    await Promise.all(machines.map(({ uuid }) => api.provision(uuid, { target: 'manage' })));
    await api.settle();
    const managed = await api.nodes();
    expect(managed.map((node) => [node.provision_state, node.power_state, node.last_error])).toEqual(
      machines.map(() => ['manageable', 'power on', null]),
    );

    await Promise.all(machines.map(({ uuid }) => api.setTargetRaidConfig(uuid, RAID1_ROOT)));
    await Promise.all(
      machines.map(({ uuid }) => api.provision(uuid, { target: 'clean', clean_steps: RAID_CLEAN_STEPS })),
    );
    await api.settle();
    expect(await api.stateCounts()).toEqual({ 'clean wait': FLEET });
    for (const { bmc } of machines) expect(bmc.jobs).toHaveLength(1);

    const fakeTime = await api.advanceUntil(
      async () => (await api.stateCounts())['clean wait'] === undefined,
      { stepMs: POLL_S * 1000, limitMs: 5 * POLL_S * 1000 },
    );
    // The longest job takes 100 s: two polls see every job ended.
    expect(fakeTime).toBe(2 * POLL_S * 1000);

    const byName = new Map((await api.nodes()).map((node) => [node.name, node]));
    for (const { index, bmc } of machines) {
      const node = byName.get(`node-${index}`);
      expect(node?.reservation).toBeNull();
      if (FAILING.has(index)) {
        const jobId = bmc.jobs[0]?.id;
        expect(node).toMatchObject({
          provision_state: 'clean failed',
          last_error: `RAID configuration job ${jobId} failed: ${FAILURE}`,
        });
        expect(bmc.volumes).toEqual([]);
        continue;
      }
      const volume = bmc.volumes[0];
      expect(bmc.volumes).toHaveLength(1);
      expect(volume?.raidType).toBe('RAID1');
      expect(node).toMatchObject({
        provision_state: 'manageable',
        target_provision_state: null,
        last_error: null,
        raid_config: {
          logical_disks: [{ raid_level: '1', is_root_volume: true, physical_disks: volume?.driveIds }],
        },
      });
      // Two mirrored 600 GB disks give one 600 GB volume: 558 GiB, as Ironic counts.
      expect(node?.raid_config.logical_disks?.[0]?.size_gb).toBe(558);
      expect(node?.properties.local_gb).toBe(558);
      expect(typeof node?.raid_config.last_updated).toBe('string');
    }

    for (const { bmc } of machines) {
      expect(bmc.stats.maxConcurrencySeen).toBe(PER_BMC);
      expect(bmc.stats.rejected503).toBe(0);
    }
    // The global bound was reached and never passed, as undici itself saw the requests.
    expect(probe.peak).toBe(MAX_CONCURRENT);
    expect(probe.inFlight).toBe(0);
    expect(api.backgroundFailures()).toEqual([]);
  });

  it('says which credentials the BMC rejected, at enrollment and when cleaning', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    bmcs = await startRedfishFleet({ clock });
    fleet = await startDracFleet(clock);
    const api = fleet;
    const bmc = await bmcs.addBmc({ id: 'locked-out', powerState: 'On' });
    const rejected = `The BMC at ${bmc.url} rejected the credentials of user "root" (check driver_info redfish_username and redfish_password)`;

    // A wrong password at enrollment: manage fails back to enroll, saying why.
    const node = await api.createNode({
      name: 'locked-out',
      driver: 'drac',
      driver_info: driverInfoFor(bmc, 'not-calvin'),
    });
    await api.provision(node.uuid, { target: 'manage' });
    await api.settle();
    const enrolled = await api.node(node.uuid);
    expect(enrolled.provision_state).toBe('enroll');
    expect(enrolled.last_error).toContain(
      `Failed to get power state for node ${node.uuid}. Error: ${rejected}`,
    );

    // The right one lets it in.
    const fixed = await api.request('PATCH', `/v1/nodes/${node.uuid}`, [
      { op: 'replace', path: '/driver_info/redfish_password', value: bmc.password },
    ]);
    expect(fixed.status).toBe(200);
    await api.provision(node.uuid, { target: 'manage' });
    await api.settle();
    expect(await api.node(node.uuid)).toMatchObject({ provision_state: 'manageable', last_error: null });

    // The password changes behind the conductor's back: cleaning fails on its first request, saying why.
    await api.setTargetRaidConfig(node.uuid, RAID1_ROOT);
    const broken = await api.request('PATCH', `/v1/nodes/${node.uuid}`, [
      { op: 'replace', path: '/driver_info/redfish_password', value: 'rotated' },
    ]);
    expect(broken.status).toBe(200);
    await api.provision(node.uuid, { target: 'clean', clean_steps: RAID_CLEAN_STEPS });
    await api.settle();
    const cleaned = await api.node(node.uuid);
    expect(cleaned.provision_state).toBe('clean failed');
    expect(cleaned.last_error).toContain('Clean step raid.delete_configuration failed: ');
    expect(cleaned.last_error).toContain(rejected);
    expect(bmc.jobs).toEqual([]);

    // A RAID config the BMC cannot build is refused up front, naming the field.
    const invalid = await api.request('PUT', `/v1/nodes/${node.uuid}/states/raid`, {
      logical_disks: [{ size_gb: 'MAX', raid_level: '7' }],
    });
    expect(invalid.status).toBe(400);
    expect(faultString(invalid.body)).toContain('logical_disks[0].raid_level');
    expect(api.backgroundFailures()).toEqual([]);
  });
});
