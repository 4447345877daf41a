import type { AsyncOutcome, RescueInterface } from '@ironic/driver-base';
import type { Delay } from '../delay.js';

/** Ironic's `fake` rescue: the node is in `rescue` at once, and back to `active` on unrescue. */
export class FakeRescue implements RescueInterface {
  constructor(readonly delay: Delay) {}

  validate(): void {}

  async rescue(): Promise<AsyncOutcome> {
    await this.delay();
    return 'done';
  }

  async unrescue(): Promise<void> {
    await this.delay();
  }

  async cleanUp(): Promise<void> {}
}
