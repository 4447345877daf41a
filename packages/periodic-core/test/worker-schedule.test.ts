import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  definePeriodicTask,
  MAX_TIMER_DELAY_MS,
  ManualClock,
  type PeriodicOptions,
  PeriodicWorker,
  type TaskContext,
} from '../src/index.js';
import { stopOnManualClock } from './helpers.js';

/** A task that records when it started and takes `durationMs` of fake time. */
function timedTask(clock: ManualClock, options: PeriodicOptions & { name: string }, durationMs = 0) {
  const starts: number[] = [];
  const scheduled: number[] = [];
  const task = definePeriodicTask(async (ctx: TaskContext) => {
    starts.push(clock.now());
    scheduled.push(ctx.scheduledAt);
    if (durationMs > 0) await new Promise<void>((resolve) => clock.setTimer(resolve, durationMs));
  }, options);
  return { task, starts, scheduled };
}

describe('PeriodicWorker scheduling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs first one spacing after start, then every spacing (last-started)', async () => {
    const clock = new ManualClock(10_000);
    const worker = new PeriodicWorker({ clock });
    const { task, starts, scheduled } = timedTask(clock, { name: 'a', spacing: 100 }, 30);
    worker.add(task);
    worker.start();
    await clock.advance(99);
    expect(starts).toEqual([]);
    await clock.advance(1);
    expect(starts).toEqual([10_100]);
    await clock.advance(300);
    expect(starts).toEqual([10_100, 10_200, 10_300, 10_400]);
    expect(scheduled).toEqual(starts);
    await stopOnManualClock(worker, clock);
  });

  it('runs at start() with runImmediately, on the next timer tick, synchronous tasks included', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const calls: number[] = [];
    worker.add(
      definePeriodicTask(() => void calls.push(clock.now()), {
        name: 'now',
        spacing: 50,
        runImmediately: true,
      }),
    );
    worker.start();
    // Due at once, but dispatched from the worker's timer: never inside start() itself.
    expect(calls).toEqual([]);
    await clock.advance(0);
    expect(calls).toEqual([0]);
    await clock.advance(100);
    expect(calls).toEqual([0, 50, 100]);
    await worker.stop();
  });

  it('last-finished waits a spacing after each run finishes', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const { task, starts } = timedTask(clock, { name: 'lf', spacing: 100, strategy: 'last-finished' }, 30);
    worker.add(task);
    worker.start();
    await clock.advance(500);
    expect(starts).toEqual([100, 230, 360, 490]);
    await stopOnManualClock(worker, clock);
  });

  it('aligned runs at the next multiple of spacing (from the worker start) after each run finished', async () => {
    const clock = new ManualClock(1_000);
    const worker = new PeriodicWorker({ clock });
    const { task, starts } = timedTask(clock, { name: 'al', spacing: 100, strategy: 'aligned' }, 130);
    worker.add(task);
    worker.start();
    await clock.advance(1_000);
    // 1100 → finishes 1230 → next multiple 1300 → finishes 1430 → 1500 …
    expect(starts).toEqual([1_100, 1_300, 1_500, 1_700, 1_900]);
    expect(worker.stats('al').skipped).toBe(0);
    await stopOnManualClock(worker, clock);
  });

  it('skips (and counts) runs that fall due while the previous one runs, then resumes its cadence without a burst', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const { task, starts } = timedTask(clock, { name: 'slow', spacing: 100 }, 350);
    worker.add(task);
    worker.start();
    await clock.advance(100);
    expect(starts).toEqual([100]);
    await clock.advance(350); // the run ends at 450; dues at 200, 300 and 400 were skipped
    expect(worker.stats('slow')).toMatchObject({ runs: 1, skipped: 3, running: false, nextRunAt: 500 });
    expect(starts).toEqual([100]);
    await clock.advance(49);
    expect(starts).toEqual([100]);
    await clock.advance(1);
    expect(starts).toEqual([100, 500]);
    await stopOnManualClock(worker, clock);
  });

  it('delays each run by up to jitter × spacing without drifting the cadence', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, random: () => 0.5 });
    const { task, starts, scheduled } = timedTask(clock, { name: 'j', spacing: 100, jitter: 0.2 });
    worker.add(task);
    worker.start();
    expect(worker.stats('j').nextRunAt).toBe(110);
    await clock.advance(400);
    expect(starts).toEqual([110, 210, 310]);
    expect(scheduled).toEqual([110, 210, 310]);
    await worker.stop();
  });

  it('never runs a disabled task but lists it in stats', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const { task, starts } = timedTask(clock, {
      name: 'off',
      spacing: 10,
      enabled: false,
      runImmediately: true,
    });
    worker.add(task);
    worker.start();
    await clock.advance(1_000);
    expect(starts).toEqual([]);
    expect(worker.stats()).toEqual([
      expect.objectContaining({ name: 'off', enabled: false, runs: 0, nextRunAt: null }),
    ]);
    expect(await worker.runNow('off')).toEqual({ status: 'skipped', reason: 'disabled' });
    expect(clock.pendingTimers).toBe(0);
    await worker.stop();
  });

  it('serves any number of tasks with one timer', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 64 });
    let runs = 0;
    const tasks = Array.from({ length: 500 }, (_, i) =>
      definePeriodicTask(() => void runs++, { name: `t${i}`, spacing: 10 + (i % 37) }),
    );
    worker.add(tasks);
    worker.start();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(100);
    expect(clock.pendingTimers).toBe(1);
    expect(runs).toBeGreaterThan(500);
    await worker.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps the cadence when a run starts late waiting for a worker, and re-anchors when more than a spacing late', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 1 });
    let release: () => void = () => {};
    worker.add(
      definePeriodicTask(() => new Promise<void>((resolve) => (release = resolve)), {
        name: 'hog',
        spacing: 10_000,
        strategy: 'last-finished',
        runImmediately: true,
      }),
    );
    const { task, starts } = timedTask(clock, { name: 'b', spacing: 100 });
    worker.add(task);
    worker.start();
    await clock.advance(130); // b fell due at 100 but the only worker is busy
    expect(starts).toEqual([]);
    release();
    await clock.advance(0);
    expect(starts).toEqual([130]);
    await clock.advance(70);
    expect(starts).toEqual([130, 200]); // the cadence holds: due 100 + 100, not start 130 + 100
    await worker.stop();

    const clock2 = new ManualClock();
    const worker2 = new PeriodicWorker({ clock: clock2, maxWorkers: 1 });
    let release2: () => void = () => {};
    worker2.add(
      definePeriodicTask(() => new Promise<void>((resolve) => (release2 = resolve)), {
        name: 'hog',
        spacing: 10_000,
        strategy: 'last-finished',
        runImmediately: true,
      }),
    );
    const late = timedTask(clock2, { name: 'b', spacing: 100 });
    worker2.add(late.task);
    worker2.start();
    await clock2.advance(350);
    release2();
    await clock2.advance(0);
    expect(late.starts).toEqual([350]);
    await clock2.advance(100);
    expect(late.starts).toEqual([350, 450]); // one run, then start + spacing: no burst of catch-up runs
    await worker2.stop();
  });

  it('handles spacings beyond 2^31−1 ms on the system clock', async () => {
    vi.useFakeTimers({ now: 0 });
    const worker = new PeriodicWorker();
    let runs = 0;
    const spacing = MAX_TIMER_DELAY_MS + 60_000;
    worker.add(definePeriodicTask(() => void runs++, { name: 'rare', spacing }));
    worker.start();
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(59_999);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    expect(worker.stats('rare').nextRunAt).toBe(2 * spacing);
    await worker.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
