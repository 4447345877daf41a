import type { Node } from '@ironic/driver-base';
import { HttpConcurrencyProbe, type SimulatedBmc } from '@ironic/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { type DracRig, RAID_CLEAN_STEPS, startRig } from './rig.js';

const FLEET_SIZE = 100;
const FAILING = new Set([7, 23, 42, 64, 99]);
const FAILURE = 'Unable to create the virtual disk because the physical disk is in a foreign state.';

/** Reads the power state of a node through the driver, as a power API call would. */
async function readPower(rig: DracRig, node: Node): Promise<string> {
  return rig.harness.nodes.withTask(node.uuid, { shared: true }, (task) =>
    rig.driver.interfaces.power.getPowerState(task),
  );
}

describe('a fleet of iDRACs cleaned with a RAID-1 root volume', () => {
  let rig: DracRig | undefined;
  let probe: HttpConcurrencyProbe | undefined;
  afterEach(async () => {
    probe?.stop();
    await rig?.close();
  });

  it('ends manageable with raid_config, or clean failed with the BMC message, within the request bounds', async () => {
    rig = await startRig({ max_requests_per_bmc: 1, max_concurrent_requests: 20 });
    const current = rig;
    const entries: { bmc: SimulatedBmc; node: Node; fails: boolean }[] = [];
    for (let i = 0; i < FLEET_SIZE; i++) {
      const fails = FAILING.has(i);
      const { bmc, node } = await current.addNode(`node-${i}`, {
        responseDelayMs: 2,
        jobDurationMs: 20_000 + (i % 5) * 20_000,
        failJobs: fails ? FAILURE : false,
        powerState: 'On',
      });
      entries.push({ bmc, node, fails });
    }
    probe = new HttpConcurrencyProbe();

    // Cleaning and power reads at the same time: every node's BMC is asked for several things at once.
    const cleaning = entries.map(({ node }) =>
      current.harness.provision(node.uuid, { target: 'clean', clean_steps: RAID_CLEAN_STEPS }),
    );
    const powerReads = entries.flatMap(({ node }) => [1, 2, 3].map(() => readPower(current, node)));
    const [cleaned, powers] = await Promise.all([Promise.all(cleaning), Promise.all(powerReads)]);
    expect(new Set(powers)).toEqual(new Set(['power on']));
    expect(new Set(cleaned.map((node) => node.provision_state))).toEqual(new Set(['clean wait']));

    await current.harness.advance(120_000);

    for (const { bmc, node, fails } of entries) {
      const after = await current.harness.node(node.uuid);
      if (fails) {
        expect(after.provision_state).toBe('clean failed');
        expect(after.last_error).toContain(FAILURE);
        continue;
      }
      expect(after).toMatchObject({ provision_state: 'manageable', last_error: null, reservation: null });
      expect(after.raid_config).toMatchObject({
        logical_disks: [{ raid_level: '1', is_root_volume: true, physical_disks: bmc.volumes[0]?.driveIds }],
      });
    }
    expect(current.sweep.sweep).toMatchObject({
      runs: 1,
      visited: FLEET_SIZE,
      handled: FLEET_SIZE,
      errors: 0,
    });

    for (const { bmc } of entries) {
      expect(bmc.stats.maxConcurrencySeen).toBe(1);
      expect(bmc.stats.rejected503).toBe(0);
    }
    // The bound was reached, never passed, as undici itself saw the requests.
    expect(probe.peak).toBeLessThanOrEqual(20);
    expect(probe.peak).toBeGreaterThan(10);
    expect(current.driver.limiter.stats.peakInFlight).toBeLessThanOrEqual(20);
    expect(probe.inFlight).toBe(0);
  });

  it('lets max_requests_per_bmc requests reach one BMC at once, and no more', async () => {
    rig = await startRig({ max_requests_per_bmc: 2, max_concurrent_requests: 20 });
    const current = rig;
    const { bmc, node } = await current.addNode('busy', { responseDelayMs: 5, maxConcurrentRequests: 3 });
    const reads = await Promise.all(Array.from({ length: 12 }, () => readPower(current, node)));
    expect(reads).toHaveLength(12);
    expect(bmc.stats.maxConcurrencySeen).toBe(2);
    expect(bmc.stats.rejected503).toBe(0);
  });
});
