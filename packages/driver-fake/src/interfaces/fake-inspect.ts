import type { AsyncOutcome, InspectInterface } from '@ironic/driver-base';
import type { Delay } from '../delay.js';

/** Ironic's `fake` inspect: inspection finishes at once and finds nothing new. */
export class FakeInspect implements InspectInterface {
  constructor(readonly delay: Delay) {}

  validate(): void {}

  async inspectHardware(): Promise<AsyncOutcome> {
    await this.delay();
    return 'done';
  }
}
