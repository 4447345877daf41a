import { defineDriver, FakePower } from '@ironic/driver-base';
import { DiscoverdInspect } from './discoverd-inspect.js';
import { type DiscoverdOptions, discoverdOptionsSchema } from './options.js';

/** The driver's name, as nodes name it in their `driver` field. */
export const DISCOVERD_DRIVER_NAME = 'discoverd';

/**
 * The `discoverd` driver: in-band inspection through discoverd (`DiscoverdInspect`, with its periodic
 * status check) and power kept on the node record (driver-base's `FakePower`, Ironic's `fake` power), as
 * discoverd (or its simulator) stands in for the hardware.
 */
export const discoverdDriver = defineDriver<DiscoverdOptions>({
  name: DISCOVERD_DRIVER_NAME,
  optionsSchema: discoverdOptionsSchema,
  create: (options, services) => ({
    name: DISCOVERD_DRIVER_NAME,
    interfaces: {
      power: new FakePower(),
      inspect: new DiscoverdInspect(options, services),
    },
  }),
});
