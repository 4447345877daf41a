import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY_MS, ManualClock, PRECISE_WAIT_MS, SPIN_LEAD_MS, systemClock } from '../src/index.js';

describe('ManualClock', () => {
  it('starts where told and only moves when advanced', async () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    await clock.advanceTo(2_000);
    expect(clock.now()).toBe(2_000);
  });

  it('fires due timers in time order, ties in the order set, with the clock at each due time', async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimer(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 10);
    clock.setTimer(() => fired.push(`late@${clock.now()}`), 100);
    expect(clock.pendingTimers).toBe(4);
    expect(clock.nextTimerAt).toBe(10);
    await clock.advance(50);
    expect(fired).toEqual(['a@10', 'b@10', 'c@30']);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires timers set by a timer callback within the same advance', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      clock.setTimer(tick, 10);
    };
    clock.setTimer(tick, 10);
    await clock.advance(35);
    expect(fired).toEqual([10, 20, 30]);
  });

  it('clears timers', async () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.setTimer(() => {
      fired = true;
    }, 5);
    clock.clearTimer(handle);
    clock.clearTimer(handle);
    await clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets promise chains settle between firings', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    clock.setTimer(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => order.push('chain of first'));
    }, 1);
    clock.setTimer(() => order.push('second'), 2);
    await clock.advance(2);
    expect(order).toEqual(['chain of first', 'second']);
  });

  it('refuses to go back in time', async () => {
    const clock = new ManualClock(100);
    await expect(clock.advanceTo(50)).rejects.toThrow(RangeError);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });

  it('runNext moves to the next timer', async () => {
    const clock = new ManualClock();
    clock.setTimer(() => {}, 42);
    expect(await clock.runNext()).toBe(true);
    expect(clock.now()).toBe(42);
    expect(await clock.runNext()).toBe(false);
  });
});

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads Date.now()', () => {
    vi.useFakeTimers({ now: 123_456 });
    expect(systemClock.now()).toBe(123_456);
  });

  it('fires after the delay asked', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    systemClock.setTimer(fired, 100);
    vi.advanceTimersByTime(99);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('fires a delay of 0 on the next turn of the event loop, not after a millisecond', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fired = vi.fn();
    systemClock.setTimer(fired, 0);
    expect(fired).not.toHaveBeenCalled();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('waits, turn by turn, until Date.now() reaches its time when setTimeout wakes it early', async () => {
    // setImmediate stays real, so the turns pass; time moves only when the test says so.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const start = Date.now();
    const fired = vi.fn();
    systemClock.setTimer(fired, 10);
    // The wall clock falls 5 ms behind: setTimeout's 10 ms pass with Date.now() 5 ms short of the time.
    vi.setSystemTime(start - 5);
    vi.advanceTimersByTime(10);
    expect(fired).not.toHaveBeenCalled();
    // It waits the 5 ms left with a timeout again; meanwhile the wall clock slips 1 ms more.
    vi.setSystemTime(Date.now() - 1);
    vi.advanceTimersByTime(5);
    expect(fired).not.toHaveBeenCalled();
    expect(Date.now()).toBe(start + 9);
    // The last millisecond: setTimeout cannot wait less, so the timer checks on each turn of the loop.
    for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).not.toHaveBeenCalled();
    vi.setSystemTime(start + 10);
    for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('wakes a long wait SPIN_LEAD_MS early and turns the loop until Date.now() reaches its time', async () => {
    // setTimeout oversleeps by up to a millisecond or two; a burst due at one instant would be late by that.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const start = Date.now();
    const fired = vi.fn();
    systemClock.setTimer(fired, PRECISE_WAIT_MS);
    // Its setTimeout is for SPIN_LEAD_MS less than the wait.
    vi.advanceTimersByTime(PRECISE_WAIT_MS - SPIN_LEAD_MS - 1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(fired).not.toHaveBeenCalled();
    // The rest it waits on the event loop, turn by turn, firing at the first turn that sees the time.
    for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).not.toHaveBeenCalled();
    vi.setSystemTime(start + PRECISE_WAIT_MS - 1);
    for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).not.toHaveBeenCalled();
    vi.setSystemTime(start + PRECISE_WAIT_MS);
    for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('leaves a short wait to setTimeout but for its last millisecond (no spinning between close timers)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fired = vi.fn();
    systemClock.setTimer(fired, PRECISE_WAIT_MS - 1);
    // No early wake: its one setTimeout is still pending a millisecond before the time.
    vi.advanceTimersByTime(PRECISE_WAIT_MS - 2);
    expect(vi.getTimerCount()).toBe(1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('clears a timer waiting out its last millisecond', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fired = vi.fn();
    const handle = systemClock.setTimer(fired, 1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    systemClock.clearTimer(handle);
    vi.setSystemTime(Date.now() + 5);
    for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(fired).not.toHaveBeenCalled();
  });

  it('honours delays beyond 2^31−1 ms instead of firing at once', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const delay = MAX_TIMER_DELAY_MS * 2 + 5_000;
    systemClock.setTimer(fired, delay);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(4_999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('clears a chained timer at any stage', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const handle = systemClock.setTimer(fired, MAX_TIMER_DELAY_MS + 10);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    systemClock.clearTimer(handle);
    vi.advanceTimersByTime(1_000);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
