export { type Delay, makeDelay } from './delay.js';
export { createFakeHardware, FAKE_HARDWARE, type FakeHardwareDriver, fakeHardware } from './driver.js';
export { BIOS_SETTINGS_KEY, FakeBIOS } from './interfaces/fake-bios.js';
export { FakeBoot } from './interfaces/fake-boot.js';
export { FakeConsole } from './interfaces/fake-console.js';
export { FakeDeploy } from './interfaces/fake-deploy.js';
export { FakeInspect } from './interfaces/fake-inspect.js';
export { FakeManagement } from './interfaces/fake-management.js';
export { FakePower } from './interfaces/fake-power.js';
export { FakeRAID } from './interfaces/fake-raid.js';
export { FakeRescue } from './interfaces/fake-rescue.js';
export { FakeStorage, NoopInterface } from './interfaces/fake-storage.js';
export { FakeVendor } from './interfaces/fake-vendor.js';
export { validateRaidConfig } from './interfaces/raid-config.js';
export {
  DELAYED_INTERFACES,
  type DelayedInterface,
  type DelayRange,
  type FakeOptions,
  type FakeOptionsInput,
  fakeOptionsSchema,
  parseDelay,
} from './options.js';

import { fakeHardware } from './driver.js';

export default fakeHardware;
