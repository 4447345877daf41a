import { describe, expect, it } from 'vitest';
import { definePeriodicTask, ManualClock, PeriodicWorker } from '../src/index.js';
import {
  AT,
  LAST_DURATION_MS,
  LAST_FINISHED_AT,
  LAST_STARTED_AT,
  NOMINAL_AT,
  TaskTimes,
  TOTAL_DURATION_MS,
} from '../src/task-times.js';

describe('TaskTimes', () => {
  it('hands out distinct rows, unset, and keeps their values as it grows', () => {
    const times = new TaskTimes();
    const rows = Array.from({ length: 100 }, () => times.take());
    expect(new Set(rows).size).toBe(100);
    expect(times.size).toBe(100);
    rows.forEach((row, i) => {
      times.data[row + AT] = i;
    });
    // 100 rows outgrew the initial table several times; every value written before is still there.
    expect(rows.map((row) => times.data[row + AT])).toEqual(rows.map((_, i) => i));
    const fresh = times.take();
    expect([AT, NOMINAL_AT, LAST_STARTED_AT, LAST_FINISHED_AT].map((s) => times.data[fresh + s])).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    expect([LAST_DURATION_MS, TOTAL_DURATION_MS].map((s) => times.data[fresh + s])).toEqual([0, 0]);
  });

  it('makes room for many rows in one step, keeping the rows taken before', () => {
    const times = new TaskTimes();
    const first = times.take();
    times.data[first + AT] = 7;
    times.reserve(1_000);
    const table = times.data;
    const rows = Array.from({ length: 1_000 }, () => times.take());
    // Reserved once: the 1,000 rows fit in the table made by reserve, which was not replaced.
    expect(times.data).toBe(table);
    expect(times.data.length).toBe(1_001 * 6);
    expect(new Set([first, ...rows]).size).toBe(1_001);
    expect(times.data[first + AT]).toBe(7);
    // Rows given back count towards room already there.
    times.give(rows[0]!);
    times.reserve(1);
    expect(times.data).toBe(table);
  });

  it('reuses a row given back, reset', () => {
    const times = new TaskTimes();
    const a = times.take();
    times.take();
    times.data[a + TOTAL_DURATION_MS] = 42;
    times.give(a);
    expect(times.size).toBe(1);
    expect(times.take()).toBe(a);
    expect(times.data[a + TOTAL_DURATION_MS]).toBe(0);
  });
});

describe('PeriodicWorker task times', () => {
  it('gives a removed task’s row to the next task added, whose figures start afresh', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    worker.add(definePeriodicTask(() => undefined, { name: 'old', spacing: 10, runImmediately: true }));
    worker.start();
    await clock.advance(0);
    expect(worker.stats('old')).toMatchObject({ runs: 1, lastStartedAt: 0, nextRunAt: 10 });
    worker.remove('old');
    await clock.advance(5);
    worker.add(definePeriodicTask(() => undefined, { name: 'new', spacing: 10 }));
    expect(worker.stats('new')).toMatchObject({
      runs: 0,
      lastStartedAt: null,
      lastFinishedAt: null,
      lastDurationMs: null,
      averageDurationMs: null,
      nextRunAt: 15,
    });
    await clock.advance(10);
    expect(worker.stats('new')).toMatchObject({ runs: 1, lastStartedAt: 15, nextRunAt: 25 });
    await worker.stop();
  });

  it('keeps the row of a task removed during its own run until that run is booked', async () => {
    const clock = new ManualClock();
    const worker = new PeriodicWorker({ clock });
    let release!: () => void;
    worker.add(
      definePeriodicTask(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
          }),
        { name: 'slow', spacing: 10, runImmediately: true },
      ),
    );
    worker.start();
    await clock.advance(0);
    worker.remove('slow');
    // A task added meanwhile must not get the row the run in flight still books into.
    worker.add(definePeriodicTask(() => undefined, { name: 'other', spacing: 100 }));
    await clock.advance(7);
    release();
    await worker.idle();
    expect(worker.stats('other')).toMatchObject({ runs: 0, lastFinishedAt: null, averageDurationMs: null });
    await worker.stop();
  });
});
