import type { AsyncOutcome, DeployInterface } from '@ironic/driver-base';
import type { Delay } from '../delay.js';

/** Ironic's `fake` deploy: deploying, tearing down and taking over succeed at once (after the delay). */
export class FakeDeploy implements DeployInterface {
  constructor(readonly delay: Delay) {}

  validate(): void {}

  async deploy(): Promise<AsyncOutcome> {
    await this.delay();
    return 'done';
  }

  async tearDown(): Promise<void> {
    await this.delay();
  }

  async takeOver(): Promise<void> {
    await this.delay();
  }
}
