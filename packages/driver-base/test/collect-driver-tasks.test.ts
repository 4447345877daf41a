import { periodic } from '@ironic/periodic-core';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { collectDriverTasks } from '../src/collect-driver-tasks.js';
import type { Driver } from '../src/driver.js';
import { FakePower } from '../src/fake-power.js';
import { nodePeriodic } from '../src/node-periodic.js';
import type { NodeSweepTask } from '../src/node-sweep.js';
import { TaskManager } from '../src/task-manager.js';
import { InMemoryNodeRepository } from '../src/testing/in-memory-node-repository.js';

class SharedInspect {
  async inspectHardware() {
    return 'wait' as const;
  }
  @periodic({ spacing: '1m' })
  refreshCache() {}
  @nodePeriodic({ spacing: '1m', filters: { provision_state: 'inspect wait' } })
  async poll() {}
}

describe('collectDriverTasks', () => {
  const nodes = new TaskManager({ repository: new InMemoryNodeRepository(), conductorId: 'c' });
  const logger = pino({ level: 'silent' });

  it('collects each interface class once, its sweep covering every driver that uses it', () => {
    const shared = new SharedInspect();
    const drivers: Driver[] = [
      { name: 'a', interfaces: { power: new FakePower(), inspect: shared } },
      { name: 'b', interfaces: { power: new FakePower(), inspect: shared } },
      { name: 'c', interfaces: { power: new FakePower(), inspect: new SharedInspect() } },
      { name: 'd', interfaces: { power: new FakePower() } },
    ];
    const tasks = collectDriverTasks({ drivers, nodes, logger });
    expect(tasks.map((t) => t.name).sort()).toEqual(['SharedInspect.poll', 'SharedInspect.refreshCache']);
    const sweep = tasks.find((t) => t.name === 'SharedInspect.poll') as NodeSweepTask;
    expect(sweep.drivers).toEqual(['a', 'b', 'c']);
  });

  it('keeps distinct plain-object interfaces apart', () => {
    const tasks = collectDriverTasks({
      drivers: [
        {
          name: 'x',
          interfaces: {
            power: new FakePower(),
            deploy: { deploy: async () => 'done', tearDown: async () => {} },
          },
        },
        {
          name: 'y',
          interfaces: {
            power: new FakePower(),
            deploy: { deploy: async () => 'done', tearDown: async () => {} },
          },
        },
      ],
      nodes,
      logger,
    });
    expect(tasks).toEqual([]);
  });
});
