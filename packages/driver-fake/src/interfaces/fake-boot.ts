import type { BootInterface } from '@ironic/driver-base';

/** Ironic's `fake` boot: nothing to prepare, always valid. */
export class FakeBoot implements BootInterface {
  validate(): void {}
}
