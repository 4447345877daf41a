import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TimerEntry, TimerQueue } from '../src/timer-queue.js';

interface Entry extends TimerEntry {
  at: number;
  id: number;
}

const entry = (id: number, at: number): Entry => ({ id, at, slot: -1 });

/** Shifts everything due by `now`, in order, and returns the ids visited. */
function shiftAll(queue: TimerQueue<Entry>, now: number, visit: (e: Entry) => void = () => {}): number[] {
  const seen: number[] = [];
  while (
    queue.shiftDue(now, (e) => {
      seen.push(e.id);
      visit(e);
    })
  );
  return seen;
}

describe('TimerQueue', () => {
  it('hands out entries earliest due first, ties in push order, only once due', () => {
    const queue = new TimerQueue<Entry>();
    for (const e of [entry(1, 30), entry(2, 10), entry(3, 20), entry(4, 10), entry(5, 30)]) queue.push(e);
    expect(queue.size).toBe(5);
    expect(queue.nextAt).toBe(10);
    expect(shiftAll(queue, 9)).toEqual([]);
    expect(shiftAll(queue, 20)).toEqual([2, 4, 3]);
    expect(queue.nextAt).toBe(30);
    expect(shiftAll(queue, 100)).toEqual([1, 5]);
    expect(queue.size).toBe(0);
    expect(queue.nextAt).toBeUndefined();
  });

  it('removes an entry in O(1), and drops a bucket that empties', () => {
    const queue = new TimerQueue<Entry>();
    const [a, b, c] = [entry(1, 10), entry(2, 10), entry(3, 20)];
    for (const e of [a, b, c]) queue.push(e);
    expect(queue.remove(b)).toBe(true);
    expect(queue.remove(b)).toBe(false);
    expect(queue.has(b)).toBe(false);
    expect(queue.remove(a)).toBe(true);
    expect(queue.nextAt).toBe(20);
    expect(queue.size).toBe(1);
    expect(shiftAll(queue, 100)).toEqual([3]);
  });

  it('refuses an entry that is already queued', () => {
    const queue = new TimerQueue<Entry>();
    const a = entry(1, 10);
    queue.push(a);
    expect(() => queue.push(a)).toThrow(/already queued/);
  });

  it('lets a visit remove a later entry of the same instant, and requeue an entry for the same instant', () => {
    const queue = new TimerQueue<Entry>();
    const [a, b, c] = [entry(1, 10), entry(2, 10), entry(3, 10)];
    for (const e of [a, b, c]) queue.push(e);
    let first = true;
    const seen = shiftAll(queue, 10, (e) => {
      if (e === a && first) {
        first = false;
        expect(queue.has(b)).toBe(true);
        expect(queue.remove(b)).toBe(true);
        queue.push(a); // due now again: a new bucket, found by the next shift
      }
    });
    expect(seen).toEqual([1, 3, 1]);
    expect(queue.has(b)).toBe(false);
    expect(queue.size).toBe(0);
  });

  it('puts back the entries a throwing visit left unvisited, ahead of later pushes for that instant', () => {
    const queue = new TimerQueue<Entry>();
    const [a, b, c] = [entry(1, 10), entry(2, 10), entry(3, 10)];
    for (const e of [a, b, c]) queue.push(e);
    expect(() =>
      queue.shiftDue(10, (e) => {
        if (e === a) {
          queue.push(entry(4, 10));
          throw new Error('boom');
        }
      }),
    ).toThrow('boom');
    expect(queue.size).toBe(3);
    expect(shiftAll(queue, 10)).toEqual([2, 3, 4]);
  });

  it('visits a bucket of many entries in order, and puts back what is left after a throw deep inside it', () => {
    const queue = new TimerQueue<Entry>();
    const entries = Array.from({ length: 1_000 }, (_, i) => entry(i, 10));
    for (const e of entries) queue.push(e);
    queue.remove(entries[500]!);
    const seen: number[] = [];
    expect(() =>
      queue.shiftDue(10, (e) => {
        seen.push(e.id);
        if (e.id === 700) throw new Error('boom');
      }),
    ).toThrow('boom');
    // Visited in push order across the slices the queue visits a bucket in, the removed one skipped.
    expect(seen).toEqual(
      entries
        .slice(0, 701)
        .map((e) => e.id)
        .filter((id) => id !== 500),
    );
    expect(queue.size).toBe(299);
    expect(shiftAll(queue, 10)).toEqual(entries.slice(701).map((e) => e.id));
  });

  it('drains every entry in due order', () => {
    const queue = new TimerQueue<Entry>();
    const entries = [entry(1, 5), entry(2, 1), entry(3, 5), entry(4, 3)];
    for (const e of entries) queue.push(e);
    queue.remove(entries[3]!);
    expect(queue.drain().map((e) => e.id)).toEqual([2, 1, 3]);
    expect(queue.size).toBe(0);
    expect(entries.every((e) => e.slot === -1)).toBe(true);
    queue.push(entries[0]!);
    expect(shiftAll(queue, 10)).toEqual([1]);
  });

  it('behaves like a sorted list under any mix of pushes, removals and shifts (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), at: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('shift' as const), now: fc.integer({ min: 0, max: 12 }) }),
      fc.record({
        kind: fc.constant('shift-and-churn' as const),
        now: fc.integer({ min: 0, max: 12 }),
        pick: fc.nat(),
        at: fc.integer({ min: 0, max: 12 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const queue = new TimerQueue<Entry>();
        // The model: queued entries in the order they must come out (by due time, then push order).
        let model: Entry[] = [];
        let nextId = 0;
        const modelPush = (e: Entry) => {
          let index = model.length;
          while (index > 0 && model[index - 1]!.at > e.at) index--;
          model.splice(index, 0, e);
        };
        const idle: Entry[] = [];
        const pushFresh = (at: number) => {
          const e = idle.pop() ?? entry(nextId++, at);
          e.at = at;
          queue.push(e);
          modelPush(e);
        };
        for (const step of ops) {
          if (step.kind === 'push') pushFresh(step.at);
          else if (step.kind === 'remove') {
            if (model.length === 0) continue;
            const victim = model[step.pick % model.length]!;
            expect(queue.remove(victim)).toBe(true);
            model = model.filter((e) => e !== victim);
            idle.push(victim);
          } else {
            // Shift one bucket; during the visits, churn: remove another queued entry and push a new one.
            const due = model.filter((e) => e.at <= step.now);
            const head = due[0];
            const bucket = head === undefined ? [] : due.filter((e) => e.at === head.at);
            const visited: Entry[] = [];
            let churned = false;
            const shifted = queue.shiftDue(step.now, (e) => {
              visited.push(e);
              model = model.filter((m) => m !== e);
              idle.push(e);
              if (step.kind === 'shift-and-churn' && !churned) {
                churned = true;
                const others = model.filter((m) => m !== e);
                if (others.length > 0) {
                  const victim = others[step.pick % others.length]!;
                  expect(queue.remove(victim)).toBe(true);
                  model = model.filter((m) => m !== victim);
                  idle.push(victim);
                  const expectedIndex = bucket.indexOf(victim);
                  if (expectedIndex >= 0) bucket.splice(expectedIndex, 1);
                }
                const fresh = entry(nextId++, step.at);
                queue.push(fresh);
                modelPush(fresh);
              }
            });
            expect(shifted).toBe(head !== undefined);
            expect(visited).toEqual(bucket);
          }
          expect(queue.size).toBe(model.length);
          expect(queue.nextAt).toBe(model[0]?.at);
          for (const e of model) expect(queue.has(e)).toBe(true);
        }
        expect(queue.drain()).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });
});
