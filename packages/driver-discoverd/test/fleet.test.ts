import { HttpConcurrencyProbe, variedHardware } from '@ironic/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { advancePeriods, type Setup, startSetup } from './helpers.js';

const FLEET = 200;
const BOUND = 5;
const BATCH = 50;

describe('a fleet of 200 nodes inspected at once', () => {
  let setup: Setup;
  let probe: HttpConcurrencyProbe | undefined;
  afterEach(async () => {
    probe?.stop();
    await setup?.close();
  });

  it('ends every node manageable with its own properties, or inspect failed with discoverd’s message, within the request bound', async () => {
    setup = await startSetup({ max_concurrent_requests: BOUND });
    const nodes = [];
    for (let index = 0; index < FLEET; index++) {
      const node = await setup.harness.createNode({
        driver: 'discoverd',
        name: `fleet-${index}`,
        provision_state: 'manageable',
      });
      setup.simulator.configureNode(node.uuid, {
        // Finishing between 20 s and 150 s: some at each of the first three polls.
        durationMs: 20_000 + (index % 14) * 10_000,
        hardware: variedHardware(index),
        ...(index % 10 === 3 ? { fail: `ramdisk on fleet-${index} lost its disks` } : {}),
      });
      nodes.push(node);
    }

    probe = new HttpConcurrencyProbe({ origins: [setup.simulator.url] });
    for (let start = 0; start < FLEET; start += BATCH) {
      const batch = nodes.slice(start, start + BATCH);
      const waiting = await Promise.all(
        batch.map((node) => setup.harness.provision(node.uuid, { target: 'inspect' })),
      );
      for (const node of waiting) expect(node.provision_state).toBe('inspect wait');
    }
    expect(setup.simulator.stats.startedNodes).toBe(FLEET);

    await advancePeriods(setup.harness, 3);

    let manageable = 0;
    let failed = 0;
    for (const [index, created] of nodes.entries()) {
      const node = await setup.harness.node(created.uuid);
      if (index % 10 === 3) {
        failed += 1;
        expect(node).toMatchObject({
          provision_state: 'inspect failed',
          last_error: `discoverd inspection failed: ramdisk on fleet-${index} lost its disks`,
          properties: {},
        });
      } else {
        manageable += 1;
        const hardware = variedHardware(index);
        expect(node).toMatchObject({
          provision_state: 'manageable',
          last_error: null,
          properties: {
            cpus: hardware.cpus,
            cpu_arch: hardware.cpuArch,
            memory_mb: hardware.memoryMb,
            local_gb: 100 + index - 1,
          },
        });
      }
      expect(node.reservation).toBeNull();
    }
    expect({ manageable, failed }).toEqual({ manageable: 180, failed: 20 });
    expect(setup.inspect.stats).toMatchObject({ succeeded: 180, failed: 20, pollErrors: 0 });
    // Many requests were waiting at once: the bound was reached and never passed, as undici sent them
    // and as the simulator received them.
    expect(probe.peak).toBe(BOUND);
    expect(probe.inFlight).toBe(0);
    expect(setup.simulator.stats.maxConcurrentRequests).toBeLessThanOrEqual(BOUND);
  });
});
