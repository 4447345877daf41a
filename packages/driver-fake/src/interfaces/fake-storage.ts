import type { StorageInterface } from '@ironic/driver-base';

/** Ironic's `fake` storage: always valid, no volumes to attach. */
export class FakeStorage implements StorageInterface {
  validate(): void {}
}

/** Ironic's `noop` storage and network interfaces: nothing to do, always valid. */
export class NoopInterface implements StorageInterface {
  validate(): void {}
}
