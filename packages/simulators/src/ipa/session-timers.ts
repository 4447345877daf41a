import type { IpaClock } from './types.js';

/** A scheduled callback, cancellable with `SessionTimers.cancel`. */
export type TimerToken = symbol;

/**
 * The timers of one ramdisk boot, all cancelled together when it stops. A positive delay goes on the
 * injected clock; "now" runs on the next event-loop turn, so it needs no clock tick (a manual clock
 * would otherwise sit on a zero-delay timer until the test advances it).
 */
export class SessionTimers {
  private readonly live = new Map<TimerToken, { clockHandle: unknown } | { immediate: NodeJS.Immediate }>();

  constructor(private readonly clock: IpaClock) {}

  schedule(delayMs: number, callback: () => void): TimerToken {
    const token = Symbol('ipa-timer');
    const fire = () => {
      if (!this.live.delete(token)) return;
      callback();
    };
    if (delayMs > 0) this.live.set(token, { clockHandle: this.clock.setTimer(fire, delayMs) });
    else this.live.set(token, { immediate: setImmediate(fire) });
    return token;
  }

  cancel(token: TimerToken): void {
    const entry = this.live.get(token);
    if (!entry) return;
    this.live.delete(token);
    if ('immediate' in entry) clearImmediate(entry.immediate);
    else this.clock.clearTimer(entry.clockHandle);
  }

  cancelAll(): void {
    for (const token of [...this.live.keys()]) this.cancel(token);
  }
}
