import { type Driver, type DriverServices, defineDriver } from '@ironic/driver-base';
import type { RedfishConnector, RequestLimiter } from '@ironic/redfish';
import { BmcConnector } from './bmc-connector.js';
import { DracPower } from './drac-power.js';
import { DracRAID } from './drac-raid.js';
import { DRAC_PROPERTIES } from './driver-info.js';
import { type DracOptions, dracOptionsSchema } from './options.js';

/** The driver's name, as nodes give it in `driver`. */
export const DRAC_DRIVER_NAME = 'drac';

/** The drac driver as the conductor creates it: its interfaces share one Redfish connector. */
export interface DracDriver extends Driver {
  readonly interfaces: { power: DracPower; raid: DracRAID };
  /** The Redfish connector of every request of this driver: sessions, connection pools, bounds. */
  readonly redfish: RedfishConnector;
  /** The bounds every Redfish request of this driver goes through (`redfish.limiter`). */
  readonly limiter: RequestLimiter;
  /** Logs every Redfish session out and closes the connections (`redfish.close()`). */
  close(): Promise<void>;
}

/** Creates the driver from validated options and the conductor's services. */
export function createDracDriver(
  options: DracOptions,
  services: Pick<DriverServices<DracOptions>, 'clock'> & Partial<Pick<DriverServices<DracOptions>, 'logger'>>,
): DracDriver {
  const connector = new BmcConnector({
    maxRequestsPerBmc: options.max_requests_per_bmc,
    maxConcurrentRequests: options.max_concurrent_requests,
    requestTimeoutMs: options.request_timeout * 1000,
    maxClients: options.connection_cache_size,
    clock: services.clock,
    ...(services.logger ? { logger: services.logger } : {}),
  });
  return {
    name: DRAC_DRIVER_NAME,
    properties: DRAC_PROPERTIES,
    redfish: connector.redfish,
    limiter: connector.redfish.limiter,
    interfaces: {
      power: new DracPower(connector, services.clock),
      raid: new DracRAID(options, connector, services.clock),
    },
    // Logs every Redfish session out and closes the connections when the conductor stops.
    close: () => connector.redfish.close(),
  };
}

/**
 * Dell iDRAC over Redfish (the `drac` hardware type): power, and RAID configuration whose iDRAC jobs a
 * per-node periodic task polls. The package's default export.
 */
export const dracDriver = defineDriver<DracOptions>({
  name: DRAC_DRIVER_NAME,
  optionsSchema: dracOptionsSchema,
  create: (options, services) => createDracDriver(options, services),
});
