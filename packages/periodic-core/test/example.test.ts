import { describe, expect, it } from 'vitest';
import {
  collectPeriodicTasks,
  ManualClock,
  PeriodicWorker,
  periodic,
  type TaskContext,
} from '../src/index.js';

// The README's example, driven by a fake clock: a class with two periodic methods and a worker.
class Housekeeping {
  readonly log: string[] = [];

  @periodic({ spacing: '30s', runImmediately: true })
  async syncPowerStates({ scheduledAt }: TaskContext) {
    this.log.push(`sync@${scheduledAt}`);
  }

  @periodic({ spacing: '1m', parallel: false, timeout: '10s' })
  cleanUpStaleLocks() {
    this.log.push('cleanup');
  }
}

describe('the README example', () => {
  it('runs both methods on their instance, on schedule', async () => {
    const clock = new ManualClock();
    const housekeeping = new Housekeeping();
    const worker = new PeriodicWorker({ clock, maxWorkers: 4 });
    worker.add(collectPeriodicTasks(housekeeping));
    worker.start();
    await clock.advance(60_000);
    // Both fall due at 60 s; ties go in the order they were scheduled.
    expect(housekeeping.log).toEqual(['sync@0', 'sync@30000', 'cleanup', 'sync@60000']);
    expect(worker.stats().map((s) => s.name)).toEqual([
      'Housekeeping.cleanUpStaleLocks',
      'Housekeeping.syncPowerStates',
    ]);
    await worker.stop();
  });

  it('type-checks the method signature', () => {
    class Wrong {
      // @ts-expect-error a periodic method is called with the run context, not a number
      @periodic({ spacing: 10 })
      tick(_count: number) {}
    }
    expect(new Wrong()).toBeInstanceOf(Wrong);
  });
});
