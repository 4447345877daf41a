import { describe, expect, it } from 'vitest';
import { type ConnectRetry, retryConnect } from '../../src/db/connect-retry.js';

/** A clock that only moves when the code under test waits. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

class Refused extends Error {
  readonly code = 'ECONNREFUSED';
}

describe('retryConnect', () => {
  it('retries a transient failure with doubling waits up to 5 s, and gives up at the timeout with the last error', async () => {
    const clock = fakeClock();
    const retries: ConnectRetry[] = [];
    let attempts = 0;
    const outcome = retryConnect(
      async () => {
        attempts++;
        throw new Refused(`refused #${attempts}`);
      },
      {
        timeoutMs: 30_000,
        isTransient: (error) => error instanceof Refused,
        onRetry: (r) => retries.push(r),
        ...clock,
      },
    );
    await expect(outcome).rejects.toThrow(`refused #${attempts}`);
    expect(retries.map((r) => r.delayMs)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 2250]);
    expect(clock.now()).toBe(30_000);
    expect(attempts).toBe(11);
  });

  it('returns once the attempt succeeds', async () => {
    const clock = fakeClock();
    let attempts = 0;
    const value = await retryConnect(
      async () => {
        attempts++;
        if (attempts < 3) throw new Refused('not yet');
        return 'connected';
      },
      { timeoutMs: 30_000, isTransient: () => true, ...clock },
    );
    expect(value).toBe('connected');
    expect(clock.now()).toBe(750);
  });

  it('fails at once on a failure that will not go away (a bad password)', async () => {
    const clock = fakeClock();
    let attempts = 0;
    await expect(
      retryConnect(
        async () => {
          attempts++;
          throw new Error('password authentication failed');
        },
        { timeoutMs: 30_000, isTransient: (error) => error instanceof Refused, ...clock },
      ),
    ).rejects.toThrow('password authentication failed');
    expect(attempts).toBe(1);
    expect(clock.now()).toBe(0);
  });
});
