import { HttpConcurrencyProbe } from '@ironic/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestAborted } from '../src/index.js';
import { endpointOf, type Rig, SYSTEM, startRig } from './rig.js';

let rig: Rig | undefined;
let probe: HttpConcurrencyProbe | undefined;
afterEach(async () => {
  probe?.stop();
  await rig?.close();
});

describe('request bounds', () => {
  it('keeps each BMC within maxRequestsPerBmc and all of them within maxConcurrentRequests', async () => {
    rig = await startRig({ maxRequestsPerBmc: 2, maxConcurrentRequests: 5 });
    const current = rig;
    const bmcs = await Promise.all(
      Array.from({ length: 6 }, () => current.addBmc({ responseDelayMs: 5, maxConcurrentRequests: 2 })),
    );
    const clients = bmcs.map((bmc) => current.connector.client(endpointOf(bmc)));
    await Promise.all(clients.map((client) => client.login()));
    probe = new HttpConcurrencyProbe();
    const reads = clients.flatMap((client) => Array.from({ length: 8 }, () => client.get(SYSTEM)));
    expect((await Promise.all(reads)).every((system) => system.Id === 'System.Embedded.1')).toBe(true);

    for (const bmc of bmcs) {
      expect(bmc.stats.maxConcurrencySeen).toBeLessThanOrEqual(2);
      expect(bmc.stats.rejected503).toBe(0);
    }
    // As undici itself saw the requests: the overall bound was reached and never passed.
    expect(probe.peak).toBe(5);
    expect(current.connector.stats).toMatchObject({ peakInFlight: 5, peakPerBmc: 2, inFlight: 0 });
    // A pool never opens more connections than the per-BMC bound.
    for (const bmc of bmcs) expect(bmc.stats.connections).toBeLessThanOrEqual(2);
  });

  it('lets a request waiting for a slot be aborted, and the others go on', async () => {
    rig = await startRig({ maxRequestsPerBmc: 1 });
    const bmc = await rig.addBmc({ responseDelayMs: 50 });
    const client = rig.connector.client(endpointOf(bmc));
    await client.login();
    const first = client.get(SYSTEM);
    const controller = new AbortController();
    const second = client.get(SYSTEM, { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(RequestAborted);
    expect((await first).Id).toBe('System.Embedded.1');
    const before = bmc.stats.byRoute[`GET ${SYSTEM}`] ?? 0;
    await client.get(SYSTEM);
    expect(bmc.stats.byRoute[`GET ${SYSTEM}`]).toBe(before + 1);
  });
});
