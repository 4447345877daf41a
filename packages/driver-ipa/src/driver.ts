import { type Driver, type DriverServices, defineDriver } from '@ironic/driver-base';
import { RedfishConnector } from '@ironic/redfish';
import { AgentDeploy } from './agent-deploy.js';
import { type IpaOptions, optionsSchema } from './options.js';
import { REDFISH_PROPERTIES, RedfishPower } from './redfish-power.js';

/** The driver's name, as nodes name it in their `driver` field. */
export const IPA_DRIVER_NAME = 'ipa';

/** Creates the `ipa` driver: Redfish power and the agent deploy interface. */
export function createIpaDriver(options: IpaOptions, services: DriverServices<IpaOptions>): Driver {
  const redfish = new RedfishConnector({
    maxRequestsPerBmc: options.redfish_max_requests_per_bmc,
    maxConcurrentRequests: options.redfish_max_concurrent_requests,
    requestTimeoutMs: options.redfish_request_timeout * 1000,
    maxClients: options.redfish_connection_cache_size,
    clock: services.clock,
    logger: services.logger,
    credentialsHint: 'check driver_info redfish_username and redfish_password',
  });
  return {
    name: IPA_DRIVER_NAME,
    interfaces: {
      power: new RedfishPower({ redfish }),
      deploy: new AgentDeploy(options, services),
    },
    properties: REDFISH_PROPERTIES,
    // Logs every Redfish session out and closes the connections when the conductor stops.
    close: () => redfish.close(),
  };
}

/**
 * The `ipa` driver package: deploys through ironic-python-agent on nodes powered through Redfish,
 * with the periodic tasks `AgentDeploy.checkDeployTimeouts` and `AgentDeploy.checkDeadRamdisks`.
 */
export const ipaDriver = defineDriver<IpaOptions>({
  name: IPA_DRIVER_NAME,
  optionsSchema,
  create: createIpaDriver,
});
