import { type Driver, type DriverServices, defineDriver } from '@ironic/driver-base';
import { makeDelay } from './delay.js';
import { FakeBIOS } from './interfaces/fake-bios.js';
import { FakeBoot } from './interfaces/fake-boot.js';
import { FakeConsole } from './interfaces/fake-console.js';
import { FakeDeploy } from './interfaces/fake-deploy.js';
import { FakeInspect } from './interfaces/fake-inspect.js';
import { FakeManagement } from './interfaces/fake-management.js';
import { FakePower } from './interfaces/fake-power.js';
import { FakeRAID } from './interfaces/fake-raid.js';
import { FakeRescue } from './interfaces/fake-rescue.js';
import { FakeStorage, NoopInterface } from './interfaces/fake-storage.js';
import { FakeVendor } from './interfaces/fake-vendor.js';
import { type FakeOptions, fakeOptionsSchema } from './options.js';

/** The hardware type's name, as nodes give it in `driver`. */
export const FAKE_HARDWARE = 'fake-hardware';

/** The fake-hardware driver as created, with its fake interface objects. */
export interface FakeHardwareDriver extends Driver {
  readonly interfaces: {
    bios: FakeBIOS;
    boot: FakeBoot;
    console: FakeConsole;
    deploy: FakeDeploy;
    inspect: FakeInspect;
    management: FakeManagement;
    network: NoopInterface;
    power: FakePower;
    raid: FakeRAID;
    rescue: FakeRescue;
    storage: NoopInterface;
    vendor: FakeVendor;
  };
}

/**
 * Creates Ironic's `fake-hardware` with the implementations Ironic 21.4 offers for it, named and
 * defaulted as `GET /v1/drivers/fake-hardware` shows them there: `fake` everywhere, `noop` network and
 * (by default) storage, and `no-*` alternatives where Ironic has them.
 */
export function createFakeHardware(
  options: FakeOptions,
  services: Pick<DriverServices<FakeOptions>, 'clock'>,
): FakeHardwareDriver {
  const delay = (kind: keyof FakeOptions['delays']) => makeDelay(options.delays[kind], services.clock);
  const noop = new NoopInterface();
  const interfaces = {
    bios: new FakeBIOS(delay('bios')),
    boot: new FakeBoot(),
    console: new FakeConsole(),
    deploy: new FakeDeploy(delay('deploy')),
    inspect: new FakeInspect(delay('inspect')),
    management: new FakeManagement(delay('management')),
    network: noop,
    power: new FakePower(delay('power')),
    raid: new FakeRAID(delay('raid')),
    rescue: new FakeRescue(delay('rescue')),
    storage: noop,
    vendor: new FakeVendor(delay('vendor')),
  };
  return {
    name: FAKE_HARDWARE,
    interfaces,
    implementations: {
      bios: { default: 'fake', implementations: { fake: interfaces.bios, 'no-bios': null } },
      boot: { default: 'fake', implementations: { fake: interfaces.boot } },
      console: { default: 'fake', implementations: { fake: interfaces.console, 'no-console': null } },
      deploy: { default: 'fake', implementations: { fake: interfaces.deploy } },
      inspect: { default: 'fake', implementations: { fake: interfaces.inspect, 'no-inspect': null } },
      management: { default: 'fake', implementations: { fake: interfaces.management } },
      network: { default: 'noop', implementations: { noop } },
      power: { default: 'fake', implementations: { fake: interfaces.power } },
      raid: { default: 'fake', implementations: { fake: interfaces.raid, 'no-raid': null } },
      rescue: { default: 'fake', implementations: { fake: interfaces.rescue, 'no-rescue': null } },
      storage: { default: 'noop', implementations: { fake: new FakeStorage(), noop } },
      vendor: { default: 'fake', implementations: { fake: interfaces.vendor, 'no-vendor': null } },
    },
  };
}

/**
 * The `fake-hardware` driver package (the default export): enable it with
 * `drivers.enabled: ["@ironic/driver-fake"]`, or load it in `createDriverHarness` for tests.
 */
export const fakeHardware = defineDriver<FakeOptions>({
  name: FAKE_HARDWARE,
  optionsSchema: fakeOptionsSchema,
  create: (options, services) => createFakeHardware(options, services),
});
