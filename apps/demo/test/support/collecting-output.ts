/** An `Output` that keeps what is written and lets a test wait for a piece of text. */
export class CollectingOutput {
  text = '';
  #waiters: { needle: string; resolve: () => void }[] = [];

  write(chunk: string): boolean {
    this.text += chunk;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!this.text.includes(waiter.needle)) return true;
      waiter.resolve();
      return false;
    });
    return true;
  }

  /** Resolves once `needle` has been written. */
  until(needle: string): Promise<void> {
    if (this.text.includes(needle)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ needle, resolve }));
  }
}
