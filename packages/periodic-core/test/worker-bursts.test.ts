import { describe, expect, it } from 'vitest';
import { definePeriodicTask, ManualClock, PeriodicWorker, type RunOutcome } from '../src/index.js';
import { deferred, stopOnManualClock } from './helpers.js';

/** Many tasks due at the same instant share one timer-queue entry; these pin down what a burst does. */
describe('PeriodicWorker bursts of tasks due at the same instant', () => {
  it('runs every task due at one instant in the order added, burst after burst', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const order: string[] = [];
    worker.add(
      ['c', 'a', 'b'].map((name) =>
        definePeriodicTask(() => void order.push(`${name}@${clock.now()}`), { name, spacing: 10 }),
      ),
    );
    worker.start();
    await clock.advance(20);
    expect(order).toEqual(['c@10', 'a@10', 'b@10', 'c@20', 'a@20', 'b@20']);
    expect(clock.pendingTimers).toBe(1);
    await worker.stop();
  });

  it('does not run a task that an earlier task of the same burst removed', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const ran: string[] = [];
    worker.add([
      definePeriodicTask(
        () => {
          ran.push('first');
          worker.remove('second');
        },
        { name: 'first', spacing: 10 },
      ),
      definePeriodicTask(() => void ran.push('second'), { name: 'second', spacing: 10 }),
      definePeriodicTask(() => void ran.push('third'), { name: 'third', spacing: 10 }),
    ]);
    worker.start();
    await clock.advance(10);
    expect(ran).toEqual(['first', 'third']);
    expect(worker.has('second')).toBe(false);
    await worker.stop();
  });

  it('runs a later task of the same burst once when an earlier one asks for it with runNow', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const ran: string[] = [];
    let outcome: Promise<RunOutcome> | undefined;
    worker.add([
      definePeriodicTask(
        () => {
          ran.push('first');
          outcome ??= worker.runNow('second');
        },
        { name: 'first', spacing: 10 },
      ),
      definePeriodicTask(() => void ran.push('second'), { name: 'second', spacing: 10 }),
    ]);
    worker.start();
    await clock.advance(10);
    expect(ran).toEqual(['first', 'second']);
    expect(await outcome).toMatchObject({ status: 'succeeded' });
    // Its cadence goes on from the runNow run: due again one spacing after it, with the others.
    await clock.advance(10);
    expect(ran).toEqual(['first', 'second', 'first', 'second']);
    expect(worker.stats('second').runs).toBe(2);
    await worker.stop();
  });

  it('runs a task added by a task of the burst, with runImmediately, in the same instant', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const ran: string[] = [];
    worker.add(
      definePeriodicTask(
        () => {
          ran.push(`parent@${clock.now()}`);
          if (!worker.has('child')) {
            worker.add(
              definePeriodicTask(() => void ran.push(`child@${clock.now()}`), {
                name: 'child',
                spacing: 100,
                runImmediately: true,
              }),
            );
          }
        },
        { name: 'parent', spacing: 10 },
      ),
    );
    worker.start();
    await clock.advance(10);
    expect(ran).toEqual(['parent@10', 'child@10']);
    await worker.stop();
  });

  it('counts a synchronous run as running while its function is called', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const seen: Array<{ running: boolean; own: RunOutcome['status'] | 'pending' }> = [];
    worker.add(
      definePeriodicTask(
        () => {
          const own = worker.runNow('self');
          let status: RunOutcome['status'] | 'pending' = 'pending';
          void own.then((o) => {
            status = o.status;
          });
          seen.push({ running: worker.stats('self').running, own: status });
          return undefined;
        },
        { name: 'self', spacing: 10 },
      ),
    );
    worker.start();
    await clock.advance(10);
    expect(seen).toEqual([{ running: true, own: 'pending' }]);
    expect(worker.stats('self')).toMatchObject({ running: false, runs: 1, skipped: 1 });
    await worker.stop();
  });

  it('holds a task across an asynchronous run, whichever way its earlier runs went', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    const held = deferred();
    let calls = 0;
    worker.add(
      definePeriodicTask(
        () => {
          calls++;
          return calls === 2 ? held.promise : undefined;
        },
        { name: 'mixed', spacing: 10 },
      ),
    );
    worker.start();
    await clock.advance(20); // run 1 synchronous, run 2 pending
    expect(worker.stats('mixed')).toMatchObject({ running: true, runs: 1 });
    await clock.advance(20); // due at 30 and 40 while run 2 is pending: skipped
    expect(calls).toBe(2);
    expect(worker.stats('mixed').skipped).toBe(2);
    held.resolve();
    await clock.advance(10);
    expect(calls).toBe(3);
    expect(worker.stats('mixed')).toMatchObject({ running: false, runs: 3, successes: 3 });
    await stopOnManualClock(worker, clock);
  });

  it('hears a thenable that settles twice once', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock, maxWorkers: 1 });
    worker.add(
      definePeriodicTask(
        () => ({
          // biome-ignore lint/suspicious/noThenProperty: a deliberately misbehaving thenable
          then(resolve: () => void, reject: (error: unknown) => void) {
            resolve();
            resolve();
            reject(new Error('late'));
          },
        }),
        { name: 'twice', spacing: 10 },
      ),
    );
    worker.start();
    await clock.advance(30);
    expect(worker.stats('twice')).toMatchObject({ runs: 3, successes: 3, failures: 0, running: false });
    await worker.stop();
  });

  it('lets a synchronous run stop the worker; stop() settles once the run has returned', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    let stopped: Promise<void> | undefined;
    const states: string[] = [];
    worker.add([
      definePeriodicTask(
        () => {
          stopped = worker.stop();
          states.push(worker.state);
        },
        { name: 'stopper', spacing: 10 },
      ),
      definePeriodicTask(() => void states.push('never'), { name: 'after', spacing: 10 }),
    ]);
    worker.start();
    await clock.advance(10);
    await stopped;
    expect(states).toEqual(['stopping']);
    expect(worker.state).toBe('stopped');
    expect(worker.stats('stopper').runs).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});
