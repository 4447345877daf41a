import { describe, expect, it } from 'vitest';
import { RequestLimiter } from '../src/index.js';

/** A piece of work that runs until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function turns(n = 5) {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('RequestLimiter', () => {
  it('runs at most maxPerBmc at once against one BMC and maxTotal overall', async () => {
    const limiter = new RequestLimiter({ maxPerBmc: 2, maxTotal: 3 });
    const gates = new Map<string, ReturnType<typeof gate>>();
    const work = (bmc: string, id: string) =>
      limiter.run(bmc, async () => {
        const g = gate();
        gates.set(id, g);
        await g.opened;
        return id;
      });
    const all = [
      work('a', 'a1'),
      work('a', 'a2'),
      work('a', 'a3'),
      work('b', 'b1'),
      work('b', 'b2'),
      work('c', 'c1'),
    ];
    await turns();
    expect([...gates.keys()].sort()).toEqual(['a1', 'a2', 'b1']);
    expect(limiter.stats).toMatchObject({ inFlight: 3 });
    gates.get('a1')?.open();
    await turns();
    // a3 waits for its BMC, but b2 takes the freed global slot.
    expect([...gates.keys()].sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
    for (let round = 0; round < 10 && gates.size < 6; round++) {
      for (const g of gates.values()) g.open();
      await turns();
    }
    for (const g of gates.values()) g.open();
    expect(await Promise.all(all)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
    expect(limiter.stats).toEqual({ inFlight: 0, peakInFlight: 3, peakPerBmc: 2, completed: 6 });
  });

  it('frees the slot when the work throws', async () => {
    const limiter = new RequestLimiter({ maxPerBmc: 1, maxTotal: 1 });
    await expect(
      limiter.run('a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await limiter.run('a', async () => 'next')).toBe('next');
  });

  it('drops a waiter whose signal aborts, without giving it a slot', async () => {
    const limiter = new RequestLimiter({ maxPerBmc: 1, maxTotal: 1 });
    const held = gate();
    const first = limiter.run('a', () => held.opened);
    const controller = new AbortController();
    let ran = false;
    const second = limiter.run(
      'a',
      async () => {
        ran = true;
      },
      controller.signal,
    );
    controller.abort(new Error('no longer needed'));
    await expect(second).rejects.toThrow('no longer needed');
    held.open();
    await first;
    expect(ran).toBe(false);
    expect(await limiter.run('a', async () => 'free')).toBe('free');
    expect(limiter.stats.completed).toBe(2);
  });

  it('refuses bounds below 1', () => {
    expect(() => new RequestLimiter({ maxPerBmc: 0, maxTotal: 1 })).toThrow(
      'maxPerBmc must be an integer >= 1',
    );
    expect(() => new RequestLimiter({ maxPerBmc: 1, maxTotal: 1.5 })).toThrow(
      'maxTotal must be an integer >= 1',
    );
  });
});
