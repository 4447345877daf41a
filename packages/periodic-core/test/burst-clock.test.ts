import { describe, expect, it } from 'vitest';
import { BurstClock, SHARED_READING_RUNS, SLOW_GROUP_MS } from '../src/burst-clock.js';
import { definePeriodicTask, ManualClock, PeriodicWorker } from '../src/index.js';
import type { Clock } from '../src/types.js';

/** A clock whose time a synchronous task can move: a ManualClock plus a jump the test controls. */
function steppableClock(): Clock & { manual: ManualClock; step(ms: number): void } {
  const manual = new ManualClock(1_000);
  let jumped = 0;
  return {
    manual,
    step(ms: number) {
      jumped += ms;
    },
    now: () => manual.now() + jumped,
    setTimer: (callback, delayMs) => manual.setTimer(callback, delayMs),
    clearTimer: (handle) => manual.clearTimer(handle),
  };
}

const member = () => ({ timedAlone: false });

describe('BurstClock', () => {
  it('lets up to SHARED_READING_RUNS runs in a row share one reading', () => {
    const clock = steppableClock();
    const burst = new BurstClock(clock);
    expect(burst.open()).toBe(1_000);
    clock.step(1);
    for (let i = 0; i < SHARED_READING_RUNS; i++) {
      expect(burst.room).toBe(true);
      burst.share(member());
    }
    expect(burst.now).toBe(1_000);
    expect(burst.fresh).toBe(false);
    // The group is full: the next run is timed alone, and the reading before it closes the group.
    expect(burst.room).toBe(false);
    expect(burst.readBefore()).toBe(1_001);
    expect(burst.fresh).toBe(true);
    expect(burst.room).toBe(true);
  });

  it(`marks every member of a group that took ${SLOW_GROUP_MS} ms or more, and only then`, () => {
    const clock = steppableClock();
    const burst = new BurstClock(clock);
    burst.open();
    const quick = [member(), member()];
    for (const m of quick) burst.share(m);
    clock.step(SLOW_GROUP_MS - 1);
    const closer = member();
    burst.readAfter(closer);
    expect([...quick, closer].map((m) => m.timedAlone)).toEqual([false, false, false]);

    const slow = [member(), member()];
    for (const m of slow) burst.share(m);
    clock.step(SLOW_GROUP_MS);
    expect(burst.readBefore()).toBe(1_000 + 2 * SLOW_GROUP_MS - 1);
    expect(slow.map((m) => m.timedAlone)).toEqual([true, true]);
  });

  it('takes a fresh reading before a run timed alone, and closes a group left open at the end', () => {
    const clock = steppableClock();
    const burst = new BurstClock(clock);
    burst.open();
    clock.step(5);
    expect(burst.readBefore()).toBe(1_005);
    const m = member();
    burst.share(m);
    clock.step(1);
    burst.close();
    expect(burst.now).toBe(1_006);
    expect(m.timedAlone).toBe(false);
    expect(burst.fresh).toBe(true);
    // Nothing open: close takes no reading.
    clock.step(1);
    burst.close();
    expect(burst.now).toBe(1_006);
  });
});

describe('PeriodicWorker timing of synchronous runs in a burst', () => {
  it('times a task that turned slow exactly from its next run on, and groups it again once quick', async () => {
    const clock = steppableClock();
    const worker = new PeriodicWorker({ clock });
    let slowFor = 0;
    worker.add([
      definePeriodicTask(() => undefined, { name: 'a', spacing: 100 }),
      definePeriodicTask(() => clock.step(slowFor), { name: 'b', spacing: 100 }),
      definePeriodicTask(() => undefined, { name: 'c', spacing: 100 }),
    ]);
    worker.start();
    await clock.manual.advance(100);
    expect(worker.stats().map((s) => s.lastDurationMs)).toEqual([0, 0, 0]);

    // b takes 7 ms: the first time, it shares readings with a and c, so its run is booked as taking none.
    slowFor = 7;
    await clock.manual.advance(100);
    expect(worker.stats('b')).toMatchObject({ runs: 2, lastStartedAt: 1_200, lastDurationMs: 0 });
    // The group took 7 ms, so each of its tasks is timed alone next time: b's 7 ms are now seen. (The
    // worker's clock is 7 ms ahead of the manual one since b's run, so the burst falls due on time.)
    await clock.manual.advance(100);
    expect(worker.stats('b')).toMatchObject({
      runs: 3,
      lastStartedAt: 1_300,
      lastFinishedAt: 1_307,
      lastDurationMs: 7,
    });
    expect(worker.stats('c')).toMatchObject({ lastStartedAt: 1_307, lastDurationMs: 0 });

    // Quick again: timed alone once more (it took 7 ms last time), then back in a group.
    slowFor = 0;
    await clock.manual.advance(100);
    expect(worker.stats('b')).toMatchObject({ runs: 4, lastDurationMs: 0 });
    await worker.stop();
  });

  it('reads the clock for every run of a task that is not last-started', async () => {
    const clock = steppableClock();
    const worker = new PeriodicWorker({ clock });
    worker.add([
      definePeriodicTask(() => clock.step(3), { name: 'a', spacing: 100, strategy: 'last-finished' }),
      definePeriodicTask(() => clock.step(4), { name: 'b', spacing: 100, strategy: 'last-finished' }),
    ]);
    worker.start();
    await clock.manual.advance(100);
    expect(worker.stats().map((s) => [s.lastStartedAt, s.lastDurationMs])).toEqual([
      [1_100, 3],
      [1_103, 4],
    ]);
    await worker.stop();
  });
});
