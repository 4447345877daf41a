import { describe, expect, it } from 'vitest';
import {
  definePeriodicTask,
  ManualClock,
  type PeriodicOptions,
  PeriodicWorker,
  type TaskContext,
  WorkerStopped,
} from '../src/index.js';
import { type Deferred, deferred, stopOnManualClock } from './helpers.js';

/** A task whose runs stay open until the test settles them. */
function heldTask(options: PeriodicOptions & { name: string }, log: string[], clock: ManualClock) {
  const runs: Deferred[] = [];
  const task = definePeriodicTask(() => {
    log.push(`${options.name}@${clock.now()}`);
    const run = deferred();
    runs.push(run);
    return run.promise;
  }, options);
  return { task, runs };
}

describe('PeriodicWorker concurrency', () => {
  it('runs parallel tasks at most maxWorkers at a time; waiting ones start earliest due first', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 2 });
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name, i) =>
      heldTask({ name, spacing: 100 + i, strategy: 'last-finished' }, log, clock),
    );
    // Added in reverse so that insertion order cannot explain the start order.
    worker.add([d!.task, c!.task, b!.task, a!.task]);
    worker.start();
    await clock.advance(110);
    expect(log).toEqual(['a@100', 'b@101']);
    expect(
      worker
        .stats()
        .filter((s) => s.running)
        .map((s) => s.name),
    ).toEqual(['a', 'b']);
    expect(worker.stats('c')).toMatchObject({ running: false, nextRunAt: 102 });

    b!.runs[0]!.resolve();
    await clock.advance(5);
    expect(log).toEqual(['a@100', 'b@101', 'c@110']);
    a!.runs[0]!.resolve();
    await clock.advance(5);
    expect(log).toEqual(['a@100', 'b@101', 'c@110', 'd@115']);
    c!.runs[0]!.resolve();
    d!.runs[0]!.resolve();
    await stopOnManualClock(worker, clock);
  });

  it('runs parallel: false tasks one at a time on their own lane, outside the pool', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 4 });
    const log: string[] = [];
    const s1 = heldTask({ name: 's1', spacing: 100, parallel: false, strategy: 'last-finished' }, log, clock);
    const s2 = heldTask({ name: 's2', spacing: 100, parallel: false, strategy: 'last-finished' }, log, clock);
    const p1 = heldTask({ name: 'p1', spacing: 100, strategy: 'last-finished' }, log, clock);
    worker.add([s1.task, s2.task, p1.task]);
    worker.start();
    await clock.advance(150);
    // s2 waits for s1 although the pool has free workers; p1 is not held up by the serial lane.
    expect(log).toEqual(['s1@100', 'p1@100']);
    s1.runs[0]!.resolve();
    await clock.advance(10);
    expect(log).toEqual(['s1@100', 'p1@100', 's2@150']);
    s2.runs[0]!.resolve();
    p1.runs[0]!.resolve();
    await stopOnManualClock(worker, clock);
  });

  it('keeps dispatching other tasks on time while one hangs forever', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 2 });
    const signals: AbortSignal[] = [];
    const hang = (ctx: TaskContext) => {
      signals.push(ctx.signal);
      return new Promise(() => {});
    };
    worker.add(definePeriodicTask(hang, { name: 'hung', spacing: 50, runImmediately: true }));
    worker.add(definePeriodicTask(hang, { name: 'hungSerial', spacing: 50, parallel: false }));
    const lateness: number[] = [];
    worker.add(
      definePeriodicTask(
        async (ctx) => {
          lateness.push(clock.now() - ctx.scheduledAt);
        },
        { name: 'healthy', spacing: 100 },
      ),
    );
    worker.start();
    await clock.advance(1_000);
    expect(lateness).toEqual(Array(10).fill(0));
    expect(worker.stats('hung')).toMatchObject({ runs: 0, running: true, skipped: 20 });
    expect(worker.stats('healthy')).toMatchObject({ runs: 10, successes: 10 });

    // Runs that ignore their signal never settle, so stop() aborts them but keeps waiting.
    let stopped = false;
    void worker.stop({ timeout: 10 }).then(() => {
      stopped = true;
    });
    await clock.advance(10);
    expect(signals.map((signal) => signal.reason)).toEqual([
      expect.any(WorkerStopped),
      expect.any(WorkerStopped),
    ]);
    expect(worker.state).toBe('stopping');
    expect(stopped).toBe(false);
  });
});
