import { createDriver, type Driver, type NodeStore } from '@ironic/driver-base';
import type { Clock } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { ConfigError } from '../errors.js';
import type { LoadedDriverPackage } from './load-drivers.js';

/** What every driver is created with. */
export interface CreateDriversOptions {
  packages: readonly LoadedDriverPackage[];
  /** Raw options by driver name (validated by each driver's schema). */
  options: Readonly<Record<string, unknown>>;
  nodes: NodeStore;
  logger: Logger;
  http: Dispatcher;
  clock: Clock;
  conductorId: string;
  /** Where the options came from, for errors. */
  configSource: string;
}

/**
 * Creates each loaded driver with its validated options. Options for a driver that is not enabled are
 * refused (most likely a typo); a driver's own `InvalidDriverOptions` names the driver and its fields.
 */
export async function createDrivers(options: CreateDriversOptions): Promise<Map<string, Driver>> {
  const names = new Set(options.packages.map((loaded) => loaded.driverPackage.name));
  const stray = Object.keys(options.options).filter((name) => !names.has(name));
  if (stray.length > 0) {
    throw new ConfigError(
      options.configSource,
      stray.map((name) => ({
        path: `drivers.options.${name}`,
        message: `no enabled driver is named "${name}" (enabled: ${[...names].join(', ') || 'none'})`,
      })),
    );
  }
  const drivers = new Map<string, Driver>();
  for (const { driverPackage } of options.packages) {
    const driver = await createDriver(driverPackage, options.options[driverPackage.name], {
      nodes: options.nodes,
      logger: options.logger.child({ driver: driverPackage.name }),
      http: options.http,
      clock: options.clock,
      conductorId: options.conductorId,
    });
    drivers.set(driver.name, driver);
  }
  return drivers;
}
