import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePeriodicTask, ManualClock, PeriodicWorker, type SchedulingStrategy } from '../src/index.js';
import { stopOnManualClock } from './helpers.js';

const taskArbitrary = fc.record({
  spacing: fc.integer({ min: 1, max: 50 }),
  durations: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 8 }),
  parallel: fc.boolean(),
  runImmediately: fc.boolean(),
  jitter: fc.constantFrom(0, 0.5, 1),
  strategy: fc.constantFrom<SchedulingStrategy>('last-started', 'last-finished', 'aligned'),
  sync: fc.boolean(),
});

describe('PeriodicWorker invariants (property-based)', () => {
  it('never overlaps a task with itself and never exceeds maxWorkers parallel runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(taskArbitrary, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 100, max: 400 }), // past the latest first due (50 ms + 100 % jitter)
        fc.integer({ min: 0, max: 2 ** 31 }),
        async (maxWorkers, specs, horizon, seed) => {
          const clock = new ManualClock();
          let state = seed;
          const random = () => {
            state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
            return state / 2 ** 31;
          };
          const worker = new PeriodicWorker({ clock, maxWorkers, random });
          const runningByTask = new Map<string, number>();
          let parallelRunning = 0;
          let serialRunning = 0;
          let maxParallelSeen = 0;
          let maxSerialSeen = 0;
          let starts = 0;
          specs.forEach((spec, index) => {
            const name = `task${index}`;
            let runIndex = 0;
            worker.add(
              definePeriodicTask(
                () => {
                  const running = (runningByTask.get(name) ?? 0) + 1;
                  runningByTask.set(name, running);
                  expect(running).toBe(1);
                  starts++;
                  if (spec.parallel) maxParallelSeen = Math.max(maxParallelSeen, ++parallelRunning);
                  else maxSerialSeen = Math.max(maxSerialSeen, ++serialRunning);
                  const duration = spec.durations[runIndex++ % spec.durations.length]!;
                  const done = () => {
                    runningByTask.set(name, (runningByTask.get(name) ?? 1) - 1);
                    if (spec.parallel) parallelRunning--;
                    else serialRunning--;
                  };
                  if (spec.sync || duration === 0) {
                    done();
                    return undefined;
                  }
                  return new Promise<void>((resolve) =>
                    clock.setTimer(() => {
                      done();
                      resolve();
                    }, duration),
                  );
                },
                { ...spec, name },
              ),
            );
          });
          worker.start();
          for (let t = 0; t < horizon; t += 7) {
            await clock.advance(7);
            expect(parallelRunning).toBeLessThanOrEqual(maxWorkers);
          }
          await stopOnManualClock(worker, clock);
          expect(maxParallelSeen).toBeLessThanOrEqual(maxWorkers);
          expect(maxSerialSeen).toBeLessThanOrEqual(1);
          expect(starts).toBeGreaterThan(0);
          const stats = worker.stats();
          for (const s of stats) {
            expect(s.running).toBe(false);
            expect(s.runs).toBe(s.successes + s.failures + s.timeouts);
          }
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
