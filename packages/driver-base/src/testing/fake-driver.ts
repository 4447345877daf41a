import type { StandardSchemaV1 } from '@standard-schema/spec';
import { defineDriver } from '../driver.js';
import { FakePower } from '../fake-power.js';

/** The fake driver takes no options: nothing, or an empty object. */
const noOptions: StandardSchemaV1<unknown, Record<string, never>> = {
  '~standard': {
    version: 1,
    vendor: 'ironic-driver-base',
    validate: (value) =>
      value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)
        ? { value: {} }
        : { issues: [{ message: 'the fake-hardware driver takes no options' }] },
  },
};

/** Ironic's `fake-hardware` driver: power on and off in memory, no other interface. */
export const fakeDriver = defineDriver({
  name: 'fake-hardware',
  optionsSchema: noOptions,
  create: () => ({ name: 'fake-hardware', interfaces: { power: new FakePower() } }),
});
