// 200 nodes inspected through the conductor's Ironic API, with the real discoverd driver package polling a
// simulated discoverd; one fake clock moves the driver's periods and the simulated inspections together.
import { ManualClock } from '@ironic/periodic-core';
import {
  type DiscoverdSimulator,
  HttpConcurrencyProbe,
  startDiscoverdSimulator,
  variedHardware,
} from '@ironic/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetConductor, type FleetNode } from './support/fleet-conductor.js';

const FLEET = 200;
const BOUND = 5;
const PERIOD_S = 30;

const fails = (index: number) => index % 10 === 3;
const failureOf = (index: number) => `No disks found on fleet-${index}: the RAID controller is in HBA mode`;

describe('a fleet of 200 nodes inspected through the conductor API', () => {
  let fleet: FleetConductor | undefined;
  let discoverd: DiscoverdSimulator | undefined;
  let probe: HttpConcurrencyProbe | undefined;
  afterEach(async () => {
    probe?.stop();
    await fleet?.close();
    await discoverd?.close();
  });

  it('ends manageable with each node’s properties, or inspect failed with discoverd’s message, within the request bound', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    discoverd = await startDiscoverdSimulator({ clock });
    fleet = await FleetConductor.start({
      clock,
      // discoverd looks each node up in the conductor's API before it starts, as ironic-inspector does.
      listen: true,
      drivers: ['@ironic/driver-discoverd'],
      driverOptions: {
        discoverd: {
          discoverd_url: discoverd.url,
          status_check_period: PERIOD_S,
          max_concurrent_requests: BOUND,
        },
      },
    });
    const api = fleet;
    discoverd.setIronicUrl(fleet.url ?? '');

    const created: FleetNode[] = [];
    for (let index = 0; index < FLEET; index++) {
      const node = await api.createNode({ name: `fleet-${index}`, driver: 'discoverd' });
      discoverd.configureNode(node.uuid, {
        // Finishing between 20 s and 150 s: some at each of the first five checks.
        durationMs: 20_000 + (index % 14) * 10_000,
        hardware: variedHardware(index),
        ...(fails(index) ? { fail: failureOf(index) } : {}),
      });
      created.push(node);
    }
    expect(created.every((node) => node.provision_state === 'enroll')).toBe(true);

    await Promise.all(created.map((node) => api.provision(node.uuid, { target: 'manage' })));
    await api.settle();
    expect(await api.stateCounts()).toEqual({ manageable: FLEET });

    // The driver's requests to discoverd, as undici itself sees them (the API is called in-process).
    probe = new HttpConcurrencyProbe({ origins: [discoverd.url] });
    // All at once: the 202s come back first, then the starts reach discoverd through the driver's bound.
    await Promise.all(created.map((node) => api.provision(node.uuid, { target: 'inspect' })));
    await api.settle();
    expect(await api.stateCounts()).toEqual({ 'inspect wait': FLEET });
    expect(discoverd.stats.startedNodes).toBe(FLEET);

    // No check is due before a whole period has passed: time standing still changes nothing.
    await api.advance(PERIOD_S * 1000 - 1);
    expect(await api.stateCounts()).toEqual({ 'inspect wait': FLEET });

    const fakeTime = await api.advanceUntil(
      async () => (await api.stateCounts())['inspect wait'] === undefined,
      { stepMs: PERIOD_S * 1000, limitMs: 10 * PERIOD_S * 1000 },
    );
    // The slowest inspection takes 150 s: it is seen finished at the first check after that.
    expect(fakeTime).toBeLessThanOrEqual(150_000 + PERIOD_S * 1000);

    const byName = new Map((await api.nodes()).map((node) => [node.name, node]));
    let manageable = 0;
    let failed = 0;
    for (let index = 0; index < FLEET; index++) {
      const node = byName.get(`fleet-${index}`);
      expect(node?.reservation).toBeNull();
      if (fails(index)) {
        failed += 1;
        expect(node).toMatchObject({
          provision_state: 'inspect failed',
          // As in Ironic's state machine, a failed inspection still aims at manageable.
          target_provision_state: 'manageable',
          last_error: `discoverd inspection failed: ${failureOf(index)}`,
          properties: {},
        });
        continue;
      }
      manageable += 1;
      const hardware = variedHardware(index);
      expect(node).toMatchObject({
        provision_state: 'manageable',
        target_provision_state: null,
        last_error: null,
        properties: {
          cpus: hardware.cpus,
          cpu_arch: hardware.cpuArch,
          memory_mb: hardware.memoryMb,
          local_gb: 100 + index - 1,
        },
      });
    }
    expect({ manageable, failed }).toEqual({ manageable: 180, failed: 20 });

    // Many requests were waiting at once: the bound was reached and never passed, as the client sent
    // them and as discoverd received them.
    expect(probe.peak).toBe(BOUND);
    expect(probe.inFlight).toBe(0);
    expect(discoverd.stats.maxConcurrentRequests).toBeLessThanOrEqual(BOUND);
    expect(discoverd.stats.inFlight).toBe(0);

    const tasks = await api.request<{ periodic_tasks: { name: string }[] }>('GET', '/v1/periodic-tasks');
    const check = tasks.body.periodic_tasks.find(
      (task) => task.name === 'DiscoverdInspect.checkInspectStatus',
    );
    // Every check ran to its end, and no node's poll failed.
    expect(check).toMatchObject({ failures: 0, sweep: { errors: 0 } });
    expect(api.backgroundFailures()).toEqual([]);
  });
});
