import { type Driver, type DriverServices, defineDriver } from '@ironic/driver-base';
import { AgentDeploy } from './agent-deploy.js';
import { type IpaOptions, optionsSchema } from './options.js';
import { REDFISH_PROPERTIES, RedfishPower } from './redfish-power.js';

/** The driver's name, as nodes name it in their `driver` field. */
export const IPA_DRIVER_NAME = 'ipa';

/** Creates the `ipa` driver: Redfish power and the agent deploy interface. */
export function createIpaDriver(options: IpaOptions, services: DriverServices<IpaOptions>): Driver {
  return {
    name: IPA_DRIVER_NAME,
    interfaces: {
      power: new RedfishPower({
        http: services.http,
        requestTimeoutMs: options.redfish_request_timeout * 1000,
      }),
      deploy: new AgentDeploy(options, services),
    },
    properties: REDFISH_PROPERTIES,
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
