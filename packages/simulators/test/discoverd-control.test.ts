import { describe, expect, it } from 'vitest';
import {
  DiscoverdSimulatorError,
  InvalidBehaviourError,
  InvalidNodeUuidError,
  startDiscoverdSimulator,
} from '../src/discoverd/index.js';
import { call, NODE_A, TestIronic } from './discoverd-helpers.js';

describe('control API', () => {
  it('rejects a bad UUID and bad settings with errors naming them', async () => {
    await using sim = await startDiscoverdSimulator();
    expect(() => sim.configureNode('node-1', {})).toThrow(InvalidNodeUuidError);
    expect(() => sim.introspection('node-1')).toThrow(/node-1/);
    const cases: [object, string][] = [
      [{ durationMs: -1 }, 'durationMs'],
      [{ durationMs: Number.NaN }, 'durationMs'],
      [{ fail: '' }, 'fail'],
      [{ responseDelayMs: Number.POSITIVE_INFINITY }, 'responseDelayMs'],
      [{ hardware: { cpus: 1.5 } }, 'hardware.cpus'],
      [{ hardware: { macs: [] } }, 'hardware.macs'],
      [{ hardware: { macs: ['52:54:00:00:00:01', 'zz'] } }, 'hardware.macs[1]'],
      [{ hardware: { disksGb: [10, 0] } }, 'hardware.disksGb[1]'],
    ];
    for (const [behaviour, field] of cases) {
      let caught: unknown;
      try {
        sim.configureNode(NODE_A, behaviour);
      } catch (error) {
        caught = error;
      }
      expect(caught, field).toBeInstanceOf(InvalidBehaviourError);
      expect(caught).toBeInstanceOf(DiscoverdSimulatorError);
      expect(caught).toMatchObject({
        name: 'InvalidBehaviourError',
        code: 'DISCOVERD_SIM_INVALID_BEHAVIOUR',
        field,
      });
    }
    expect(() => sim.setDefaultBehaviour({ abortDurationMs: -5 })).toThrow(InvalidBehaviourError);
  });

  it('uses the real clock by default, listens on 127.0.0.1, and takes its Ironic later', async () => {
    const before = Date.now();
    const ironic = await TestIronic.start();
    const sim = await startDiscoverdSimulator({ defaultBehaviour: { durationMs: 600_000 } });
    try {
      expect(new URL(sim.url).hostname).toBe('127.0.0.1');
      const unset = await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`);
      expect(unset.status).toBe(500);
      expect(unset.json).toMatchObject({ error: { message: expect.stringContaining('give it ironicUrl') } });
      sim.setIronicUrl(ironic.url);
      expect(sim.ironicUrl).toBe(ironic.url);
      expect((await call(sim.url, 'POST', `/v1/introspection/${NODE_A}`)).status).toBe(202);
      const view = sim.introspection(NODE_A.toUpperCase());
      expect(['starting', 'waiting']).toContain(view?.state);
      expect(view?.startedAt).toBeGreaterThanOrEqual(before);
      expect(sim.introspections().map((item) => item.uuid)).toEqual([NODE_A]);
      expect(() => sim.setIronicUrl('not a url')).toThrow(InvalidBehaviourError);
    } finally {
      await sim.close();
      await ironic.close();
    }
    await expect(call(sim.url, 'GET', '/')).rejects.toThrow();
  });

  it('closes promptly while an answer is still delayed', async () => {
    const sim = await startDiscoverdSimulator({ defaultBehaviour: { responseDelayMs: 60_000 } });
    const pending = call(sim.url, 'GET', `/v1/introspection/${NODE_A}`);
    await expect.poll(() => sim.stats.inFlight).toBe(1);
    await sim.close();
    await expect(pending).rejects.toThrow();
  });
});
