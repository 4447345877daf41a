// The driver author's own test: the testing kit runs the driver's periodic tasks on a fake clock,
// with no conductor and no database.

import { InvalidDriverOptions } from '@ironic/driver-base';
import { createDriverHarness } from '@ironic/driver-base/testing';
import { describe, expect, it } from 'vitest';
import hello, { type HelloInspect } from '../src/index.js';

describe('ironic-driver-hello', () => {
  it('finishes an inspection through its per-node periodic task', async () => {
    const harness = await createDriverHarness({
      drivers: [{ package: hello, options: { inspect_seconds: 8, check_interval: 5 } }],
    });
    try {
      await harness.createNode({ name: 'node-1', driver: 'hello', provision_state: 'manageable' });
      expect((await harness.provision('node-1', { target: 'inspect' })).provision_state).toBe('inspect wait');

      await harness.advance(5_000); // first look: 5 s of 8
      expect((await harness.node('node-1')).provision_state).toBe('inspect wait');

      await harness.advance(5_000); // second look: done
      const node = await harness.node('node-1');
      expect(node.provision_state).toBe('manageable');
      expect(node.properties).toEqual({ greeting: 'hello, node-1' });
      expect(node.driver_internal_info).not.toHaveProperty('hello_started_at');
    } finally {
      await harness.close();
    }
  });

  it('says hello at start, then every 30 s', async () => {
    const harness = await createDriverHarness({ drivers: [hello] });
    try {
      const inspect = harness.drivers.get('hello')!.interfaces.inspect as unknown as HelloInspect;
      await harness.advance(0);
      expect(inspect.greetings).toBe(1);
      await harness.advance(60_000);
      expect(inspect.greetings).toBe(3);
      expect(harness.tasks.map((task) => task.name).sort()).toEqual([
        'HelloInspect.finishInspections',
        'HelloInspect.sayHello',
      ]);
    } finally {
      await harness.close();
    }
  });

  it('refuses bad options, naming the field', async () => {
    await expect(
      createDriverHarness({ drivers: [{ package: hello, options: { check_interval: 0 } }] }),
    ).rejects.toThrow(InvalidDriverOptions);
    await expect(
      createDriverHarness({ drivers: [{ package: hello, options: { check_interval: 0 } }] }),
    ).rejects.toThrow(/check_interval/);
  });
});
