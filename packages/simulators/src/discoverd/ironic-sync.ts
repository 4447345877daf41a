import type { IntrospectionStore } from './introspection-store.js';
import type { IronicNodes } from './ironic-nodes.js';
import type { Clock } from './types.js';

/**
 * inspector's periodic `sync_with_ironic`: every `periodMs` (its `[DEFAULT] clean_up_period`), the nodes
 * Ironic no longer has are dropped from the cache, so later requests about them answer 404. Driven by the
 * simulator's clock: a sync that fell due runs before the next request is served, so a test moves time
 * instead of waiting for a timer.
 */
export class IronicSync {
  #lastAt: number;
  #running: Promise<void> | undefined;
  #dropped = 0;
  #failures = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ironic: IronicNodes,
    private readonly store: IntrospectionStore,
    /** 0 disables the sync, as inspector's `clean_up_period = 0` does. */
    readonly periodMs: number,
  ) {
    this.#lastAt = clock.now();
  }

  /** Nodes dropped because Ironic no longer had them. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Syncs that could not reach Ironic (the cache was left as it was). */
  get failures(): number {
    return this.#failures;
  }

  /** Runs the sync if a period has passed since the last one (or no Ironic is set: then never). */
  async runIfDue(): Promise<void> {
    if (this.periodMs <= 0 || this.ironic.url === undefined) return;
    if (this.clock.now() - this.#lastAt < this.periodMs) return;
    await this.run();
  }

  /** Syncs now; concurrent callers share one sync. */
  run(): Promise<void> {
    this.#running ??= this.#sync().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sync(): Promise<void> {
    this.#lastAt = this.clock.now();
    try {
      this.#dropped += this.store.keepOnly(await this.ironic.uuids()).length;
    } catch {
      // inspector logs the failure and tries again a period later; the cache stays as it was.
      this.#failures += 1;
    }
  }
}
