import { describe, expect, it } from 'vitest';
import {
  definePeriodicTask,
  ManualClock,
  NeverAgain,
  PeriodicWorker,
  type TaskContext,
  TaskTimedOut,
} from '../src/index.js';
import { capturingLogger, deferred, stopOnManualClock } from './helpers.js';

describe('PeriodicWorker failures', () => {
  it('logs and counts a thrown error, and the task keeps its schedule', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturingLogger();
    const worker = new PeriodicWorker({ clock, logger });
    let calls = 0;
    worker.add(
      definePeriodicTask(
        () => {
          calls++;
          throw new Error(`boom ${calls}`);
        },
        { name: 'sync-thrower', spacing: 100 },
      ),
    );
    worker.start();
    await clock.advance(300);
    expect(calls).toBe(3);
    expect(worker.stats('sync-thrower')).toMatchObject({
      runs: 3,
      failures: 3,
      successes: 0,
      lastError: 'Error: boom 3',
      nextRunAt: 400,
    });
    const failures = lines.filter((line) => line.msg === 'periodic task failed');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({
      level: 50,
      task: 'sync-thrower',
      durationMs: 0,
      err: { message: 'boom 1' },
    });
    await worker.stop();
  });

  it('logs and counts a rejected promise with its duration', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturingLogger();
    const worker = new PeriodicWorker({ clock, logger });
    worker.add(
      definePeriodicTask(
        async () => {
          await new Promise<void>((resolve) => clock.setTimer(resolve, 25));
          throw new TypeError('bad reply');
        },
        { name: 'async-rejecter', spacing: 100 },
      ),
    );
    worker.start();
    await clock.advance(125);
    expect(worker.stats('async-rejecter')).toMatchObject({
      runs: 1,
      failures: 1,
      lastError: 'TypeError: bad reply',
      lastDurationMs: 25,
      averageDurationMs: 25,
    });
    expect(lines.find((line) => line.msg === 'periodic task failed')).toMatchObject({
      task: 'async-rejecter',
      durationMs: 25,
      err: { type: 'TypeError', message: 'bad reply' },
    });
    expect(worker.stats('async-rejecter').nextRunAt).toBe(200);
    await clock.advance(100);
    expect(worker.stats('async-rejecter')).toMatchObject({ runs: 2, failures: 2, lastStartedAt: 200 });
    await worker.stop();
  });

  it('counts successes of a synchronous task and of an async one alike', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    worker.add(definePeriodicTask(function syncTask() {}, { spacing: 10 }));
    worker.add(definePeriodicTask(async function asyncTask() {}, { spacing: 10 }));
    worker.start();
    await clock.advance(100);
    expect(worker.stats().map((s) => [s.name, s.runs, s.successes, s.failures])).toEqual([
      ['asyncTask', 10, 10, 0],
      ['syncTask', 10, 10, 0],
    ]);
    await worker.stop();
  });

  it('removes a task that throws NeverAgain, without counting a failure', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturingLogger();
    const worker = new PeriodicWorker({ clock, logger });
    let calls = 0;
    worker.add(
      definePeriodicTask(
        async () => {
          calls++;
          if (calls === 2) throw new NeverAgain('the node is gone');
        },
        { name: 'once-more', spacing: 100 },
      ),
    );
    worker.start();
    await clock.advance(200);
    expect(calls).toBe(2);
    expect(worker.has('once-more')).toBe(false);
    expect(worker.stats()).toEqual([]);
    expect(lines.some((line) => line.level === 50)).toBe(false);
    await clock.advance(1_000);
    expect(calls).toBe(2);
    expect(clock.pendingTimers).toBe(0);
    await worker.stop();
  });

  it('reports NeverAgain from runNow as removed', async () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    worker.add(
      definePeriodicTask(
        () => {
          throw new NeverAgain();
        },
        { name: 'done', spacing: 10 },
      ),
    );
    await expect(worker.runNow('done')).resolves.toMatchObject({ status: 'removed' });
    expect(worker.has('done')).toBe(false);
  });

  it('aborts the signal at the timeout, counts it, and holds the lock until the run settles', async () => {
    const clock = new ManualClock();
    const { logger, lines } = capturingLogger();
    const worker = new PeriodicWorker({ clock, logger });
    const finish = deferred();
    const signals: AbortSignal[] = [];
    worker.add(
      definePeriodicTask(
        (ctx: TaskContext) => {
          signals.push(ctx.signal);
          return finish.promise; // ignores its signal on purpose
        },
        { name: 'stubborn', spacing: 100, timeout: '50ms' },
      ),
    );
    worker.start();
    await clock.advance(149);
    expect(signals[0]?.aborted).toBe(false);
    await clock.advance(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(TaskTimedOut);
    expect(worker.stats('stubborn')).toMatchObject({ timeouts: 1, running: true, runs: 0 });
    expect(lines.find((line) => line.level === 40)).toMatchObject({ task: 'stubborn', timeoutMs: 50 });

    await clock.advance(150); // due at 200 and 300 while the timed-out run still holds the lock
    expect(signals).toHaveLength(1);
    expect(worker.stats('stubborn').skipped).toBe(2);

    finish.resolve();
    await clock.advance(0);
    expect(worker.stats('stubborn')).toMatchObject({
      runs: 1,
      timeouts: 1,
      failures: 0,
      successes: 0,
      running: false,
      lastError: 'TaskTimedOut: Periodic task "stubborn" timed out after 50 ms',
    });
    await clock.advance(100);
    expect(signals).toHaveLength(2);
    await stopOnManualClock(worker, clock);
  });

  it('a run that honours its signal ends as timed-out', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    worker.add(
      definePeriodicTask(
        ({ signal }: TaskContext) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        { name: 'polite', spacing: 1_000, timeout: 20 },
      ),
    );
    const outcome = worker.runNow('polite');
    await clock.advance(20);
    await expect(outcome).resolves.toMatchObject({ status: 'timed-out', durationMs: 20 });
    expect(worker.stats('polite')).toMatchObject({ timeouts: 1, failures: 0, runs: 1 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('fails (and releases the lock of) a run whose thenable throws from then()', async () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    const broken = {
      // biome-ignore lint/suspicious/noThenProperty: a deliberately broken thenable
      then() {
        throw new Error('then() exploded');
      },
    };
    worker.add(definePeriodicTask(() => broken, { name: 'weird', spacing: 10 }));
    await expect(worker.runNow('weird')).resolves.toMatchObject({ status: 'failed' });
    expect(worker.stats('weird')).toMatchObject({ running: false, failures: 1 });
  });
});
