import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriorityQueue } from '../src/priority-queue.js';

interface Item {
  heapIndex: number;
  key: number;
  id: number;
}

const byKey = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.id < b.id);

describe('PriorityQueue', () => {
  it('pops in order and removes any item', () => {
    const queue = new PriorityQueue<Item>(byKey);
    const items = [5, 1, 4, 1, 3].map((key, id) => ({ heapIndex: -1, key, id }));
    for (const item of items) queue.push(item);
    expect(queue.remove(items[2]!)).toBe(true);
    expect(queue.remove(items[2]!)).toBe(false);
    expect(queue.has(items[0]!)).toBe(true);
    const out: number[] = [];
    for (let item = queue.pop(); item; item = queue.pop()) out.push(item.id);
    expect(out).toEqual([1, 3, 4, 0]);
    expect(items.every((item) => item.heapIndex === -1)).toBe(true);
  });

  it('refuses an item that is already queued', () => {
    const queue = new PriorityQueue<Item>(byKey);
    const item = { heapIndex: -1, key: 1, id: 1 };
    queue.push(item);
    expect(() => queue.push(item)).toThrow();
  });

  it('matches a sorted list under random pushes, pops and removals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1), fc.constant(-2)), {
          maxLength: 200,
        }),
        (ops) => {
          const queue = new PriorityQueue<Item>(byKey);
          const model: Item[] = [];
          let id = 0;
          for (const op of ops) {
            if (op >= 0) {
              const item = { heapIndex: -1, key: op, id: id++ };
              queue.push(item);
              model.push(item);
            } else if (op === -1) {
              model.sort((a, b) => a.key - b.key || a.id - b.id);
              expect(queue.pop()).toBe(model.shift());
            } else if (model.length > 0) {
              const victim = model.splice(Math.floor(model.length / 2), 1)[0]!;
              expect(queue.remove(victim)).toBe(true);
            }
            expect(queue.size).toBe(model.length);
          }
        },
      ),
    );
  });
});
