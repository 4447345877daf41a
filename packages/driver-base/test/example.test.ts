// Through the published entry points, as a third-party driver's tests would: one copy of driver-base.
import { createDriverHarness } from '@ironic/driver-base/testing';
import { describe, expect, it } from 'vitest';
import countingDriver, { type CountingInspect } from '../examples/counting-driver.js';

// The README's example, run: if it stops working, the docs are wrong.
describe('README example driver', () => {
  it('inspects a node through its own per-node periodic task on a fake clock', async () => {
    const harness = await createDriverHarness({
      drivers: [{ package: countingDriver, options: { poll_seconds: 10 } }],
    });
    try {
      await harness.createNode({ name: 'node-1', driver: 'counting', provision_state: 'manageable' });
      expect((await harness.provision('node-1', { target: 'inspect' })).provision_state).toBe('inspect wait');
      await harness.advance(10_000);
      const node = await harness.node('node-1');
      expect(node.provision_state).toBe('manageable');
      expect(node.properties).toEqual({ cpus: 16 });
      await harness.advance(60_000);
      const inspect = harness.drivers.get('counting')?.interfaces.inspect as unknown as CountingInspect;
      expect(inspect.sweeps).toBe(1);
    } finally {
      await harness.close();
    }
  });
});
