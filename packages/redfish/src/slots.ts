interface Waiter {
  readonly grant: () => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * A counting semaphore with a FIFO queue whose waiters can give up: an aborted waiter leaves the queue
 * without taking a slot.
 */
export class Slots {
  #free: number;
  readonly #queue: Waiter[] = [];

  constructor(readonly size: number) {
    this.#free = size;
  }

  /** Slots taken now. */
  get taken(): number {
    return this.size - this.#free;
  }

  /** Waiters in the queue. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Resolves once a slot is free (call `release` exactly once after); rejects with the signal's reason. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0 && this.#queue.length === 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          resolve();
        },
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Frees a slot, handing it to the longest waiter if any. */
  release(): void {
    const next = this.#queue.shift();
    if (next) next.grant();
    else this.#free += 1;
  }
}
