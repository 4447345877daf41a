import type { Logger } from 'pino';

/**
 * Work the API started and answered for (the long part of a provision or power action): tracked so
 * shutdown can wait for it, and logged when it fails since no caller is left to see the error.
 */
export class BackgroundWork {
  readonly #running = new Set<Promise<void>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** How many pieces of work are running. */
  get size(): number {
    return this.#running.size;
  }

  /** Starts `work`; its failure is logged under `what`, never thrown. */
  run(what: string, work: () => Promise<void>): void {
    const promise: Promise<void> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.#logger.error({ err: error, work: what }, 'background work failed'))
      .finally(() => this.#running.delete(promise));
    this.#running.add(promise);
  }

  /** Resolves once everything running now (and anything it starts) has settled. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
