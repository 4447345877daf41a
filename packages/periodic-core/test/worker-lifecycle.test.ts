import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  DuplicateTaskName,
  definePeriodicTask,
  InvalidWorkerOptions,
  ManualClock,
  PeriodicWorker,
  type TaskContext,
  UnknownTask,
  WorkerAlreadyStarted,
  WorkerStopped,
} from '../src/index.js';
import { deferred } from './helpers.js';

const noop = (name: string, spacing = 100) => definePeriodicTask(() => {}, { name, spacing });

describe('PeriodicWorker lifecycle', () => {
  it('validates its options', () => {
    expect(() => new PeriodicWorker({ maxWorkers: 0 })).toThrow(InvalidWorkerOptions);
    expect(() => new PeriodicWorker({ maxWorkers: 1.5 })).toThrow(/maxWorkers/);
    expect(new PeriodicWorker().maxWorkers).toBe(8);
  });

  it('rejects a duplicate name, all or nothing', () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    worker.add(noop('a'));
    expect(() => worker.add(noop('a'))).toThrow(DuplicateTaskName);
    expect(() => worker.add([noop('b'), noop('c'), noop('b')])).toThrow(/"b"/);
    expect(worker.has('b')).toBe(false);
    expect(worker.size).toBe(1);
    const invalid = { name: 'x', options: { spacing: -1 } as never, run: () => {} };
    expect(() => worker.add([noop('d'), invalid])).toThrow(/task "x"/);
    expect(worker.has('d')).toBe(false);
    expect(worker.size).toBe(1);
  });

  it('re-validates hand-made tasks', () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    expect(() => worker.add({ name: 'x', options: { spacing: -1 } as never, run: () => {} })).toThrow(
      /task "x".*spacing/,
    );
    expect(() => worker.add({ name: '', options: { spacing: 1 } as never, run: () => {} })).toThrow(/name/);
  });

  it('schedules a task added after start one spacing from when it was added', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    worker.start();
    await clock.advance(30);
    worker.add(noop('late'));
    expect(worker.stats('late').nextRunAt).toBe(130);
    await clock.advance(100);
    expect(worker.stats('late').runs).toBe(1);
    await worker.stop();
  });

  it('removes a task: it never runs again, a run in progress finishes', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const finish = deferred();
    let calls = 0;
    worker.add(
      definePeriodicTask(
        () => {
          calls++;
          return finish.promise;
        },
        { name: 'r', spacing: 100 },
      ),
    );
    worker.start();
    await clock.advance(100);
    expect(worker.remove('r')).toBe(true);
    expect(worker.remove('r')).toBe(false);
    expect(worker.has('r')).toBe(false);
    expect(() => worker.stats('r')).toThrow(UnknownTask);
    const idle = worker.idle();
    finish.resolve();
    await idle;
    await clock.advance(1_000);
    expect(calls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    worker.add(noop('r'));
    await worker.stop();
  });

  it('refuses to start twice, to restart, or to take tasks after stop', async () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    worker.start();
    expect(() => worker.start()).toThrow(WorkerAlreadyStarted);
    await worker.stop();
    expect(worker.state).toBe('stopped');
    expect(() => worker.start()).toThrow(WorkerStopped);
    expect(() => worker.add(noop('x'))).toThrow(WorkerStopped);
    await expect(worker.runNow('x')).rejects.toBeInstanceOf(WorkerStopped);
  });

  it('stop() on a worker that never started resolves at once', async () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    worker.add(noop('x'));
    await worker.stop();
    expect(worker.state).toBe('stopped');
  });
});

describe('PeriodicWorker.runNow', () => {
  it('runs a task now, even before start, and reports the outcome', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    worker.add(noop('ok'));
    worker.add(
      definePeriodicTask(
        () => {
          throw new Error('nope');
        },
        { name: 'bad', spacing: 100 },
      ),
    );
    await expect(worker.runNow('ok')).resolves.toEqual({ status: 'succeeded', durationMs: 0 });
    const failed = await worker.runNow('bad');
    expect(failed).toMatchObject({ status: 'failed', error: expect.objectContaining({ message: 'nope' }) });
    await expect(worker.runNow('missing')).rejects.toBeInstanceOf(UnknownTask);
    expect(worker.stats('ok').runs).toBe(1);
    expect(worker.stats('ok').nextRunAt).toBeNull();
  });

  it('gives skipped (counted) while a run is in progress', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const finish = deferred();
    worker.add(definePeriodicTask(() => finish.promise, { name: 'busy', spacing: 100 }));
    const first = worker.runNow('busy');
    await expect(worker.runNow('busy')).resolves.toEqual({ status: 'skipped', reason: 'running' });
    expect(worker.stats('busy')).toMatchObject({ skipped: 1, running: true });
    finish.resolve();
    await expect(first).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('restarts a last-started cadence from the manual run', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    worker.add(noop('tick'));
    worker.start();
    await clock.advance(40);
    await worker.runNow('tick');
    expect(worker.stats('tick')).toMatchObject({ runs: 1, nextRunAt: 140 });
    await worker.stop();
  });

  it('waits for a free worker like any due run', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 1 });
    const finish = deferred();
    worker.add(definePeriodicTask(() => finish.promise, { name: 'hog', spacing: 1_000 }));
    worker.add(noop('next'));
    const hog = worker.runNow('hog');
    let done = false;
    const next = worker.runNow('next').then((outcome) => {
      done = true;
      return outcome;
    });
    const again = worker.runNow('next');
    await clock.settle();
    expect(done).toBe(false);
    expect(worker.stats('next').running).toBe(false);
    finish.resolve();
    await expect(next).resolves.toMatchObject({ status: 'succeeded' });
    await expect(again).resolves.toMatchObject({ status: 'succeeded' });
    await hog;
    expect(worker.stats('next').runs).toBe(1);
  });

  it('resolves removed for a queued run whose task is removed, skipped when the worker stops', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 1 });
    const finish = deferred();
    worker.add(definePeriodicTask(() => finish.promise, { name: 'hog', spacing: 1_000 }));
    worker.add([noop('gone'), noop('dropped')]);
    const hog = worker.runNow('hog');
    const gone = worker.runNow('gone');
    const dropped = worker.runNow('dropped');
    worker.remove('gone');
    await expect(gone).resolves.toEqual({ status: 'removed' });
    const stopped = worker.stop();
    await expect(dropped).resolves.toEqual({ status: 'skipped', reason: 'stopped' });
    finish.resolve();
    await stopped;
    await expect(hog).resolves.toMatchObject({ status: 'succeeded' });
  });
});

describe('PeriodicWorker.stop', () => {
  it('dispatches nothing new, waits for runs in flight, and leaves no timer', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const finish = deferred();
    let calls = 0;
    worker.add(
      definePeriodicTask(
        () => {
          calls++;
          return finish.promise;
        },
        { name: 'long', spacing: 100, strategy: 'last-finished' },
      ),
    );
    worker.add(noop('other', 50));
    worker.start();
    await clock.advance(100);
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    expect(worker.state).toBe('stopping');
    await clock.advance(1_000);
    expect(stopped).toBe(false);
    expect(worker.stats('other').runs).toBe(2);
    finish.resolve();
    await stopping;
    expect(worker.state).toBe('stopped');
    expect(calls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts runs in flight once its timeout passes, then resolves when they settle', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    let signal: AbortSignal | undefined;
    worker.add(
      definePeriodicTask(
        (ctx: TaskContext) => {
          signal = ctx.signal;
          return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        },
        { name: 'waits', spacing: 100, runImmediately: true },
      ),
    );
    worker.start();
    await clock.advance(0);
    const stopped = worker.stop({ timeout: '5s' });
    await clock.advance(4_999);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(signal?.reason).toBeInstanceOf(WorkerStopped);
    await stopped;
    expect(worker.state).toBe('stopped');
    expect(worker.stats('waits')).toMatchObject({ runs: 1, timeouts: 1, successes: 0, running: false });
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects a bad timeout', async () => {
    const worker = new PeriodicWorker({ clock: new ManualClock() });
    await expect(worker.stop({ timeout: 'soon' })).rejects.toThrow(/stop timeout/);
  });

  it('leaves no timer or handle open on the system clock', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const worker = new PeriodicWorker();
    worker.add([noop('hourly', 3_600_000), noop('daily', 86_400_000)]);
    worker.start();
    expect(timers()).toBe(before + 1);
    await worker.stop({ timeout: '1s' });
    expect(timers()).toBe(before);
  });
});

describe('PeriodicWorker.idle and ManualClock with real I/O', () => {
  it('lets a task talk to a loopback server while fake time advances', async () => {
    const server = createServer((_, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const clock = new ManualClock();
      const worker = new PeriodicWorker({ clock });
      const replies: string[] = [];
      worker.add(
        definePeriodicTask(
          async ({ signal }: TaskContext) => {
            const response = await fetch(`http://127.0.0.1:${port}/ping`, { signal });
            replies.push(await response.text());
          },
          { name: 'ping', spacing: '1m' },
        ),
      );
      worker.start();
      await clock.advance(60_000);
      await worker.idle();
      expect(replies).toEqual(['pong']);
      expect(worker.stats('ping')).toMatchObject({ runs: 1, successes: 1 });
      await worker.stop();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('PeriodicWorker.stats', () => {
  it('gives every documented figure, sorted by name', async () => {
    const clock = new ManualClock(5_000);
    const worker = new PeriodicWorker({ clock });
    let n = 0;
    worker.add(
      definePeriodicTask(
        async () => {
          n++;
          await new Promise<void>((resolve) => clock.setTimer(resolve, n * 10));
          if (n === 2) throw new Error('second run fails');
        },
        { name: 'zeta', spacing: '1s', parallel: false },
      ),
    );
    worker.add(noop('alpha', 100));
    worker.start();
    await clock.advance(2_500);
    expect(worker.stats().map((s) => s.name)).toEqual(['alpha', 'zeta']);
    expect(worker.stats('zeta')).toEqual({
      name: 'zeta',
      spacing: 1_000,
      enabled: true,
      parallel: false,
      running: false,
      runs: 2,
      successes: 1,
      failures: 1,
      skipped: 0,
      timeouts: 0,
      lastStartedAt: 7_000,
      lastFinishedAt: 7_020,
      lastDurationMs: 20,
      averageDurationMs: 15,
      lastError: 'Error: second run fails',
      nextRunAt: 8_000,
    });
    expect(worker.taskStats('alpha')).toMatchObject({ runs: 25, averageDurationMs: 0 });
    await worker.stop();
  });
});
