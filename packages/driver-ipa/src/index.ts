export {
  AgentClient,
  type AgentClientOptions,
  type AgentCommandError,
  type AgentCommandResult,
  type AgentStatus,
  type CommandOptions,
  commandErrorMessage,
} from './agent-client.js';
export { AgentDeploy, type AgentDeployServices } from './agent-deploy.js';
export { DEPLOY_STARTED_KEY, PREPARE_IMAGE_KEY } from './agent-info.js';
export { NOTHING_DEPLOYED_STATES } from './dead-ramdisks.js';
export { createIpaDriver, IPA_DRIVER_NAME, ipaDriver, ipaDriver as default } from './driver.js';
export {
  AgentBusy,
  AgentCommandFailed,
  AgentError,
  AgentInvalidResponse,
  AgentUnreachable,
  IpaDriverError,
  RedfishError,
} from './errors.js';
export { type ImageInfo, imageInfoFor } from './image-info.js';
export { type IpaOptions, type IpaOptionsInput, optionsSchema } from './options.js';
export {
  DEFAULT_REDFISH_SYSTEM_ID,
  parseRedfishDriverInfo,
  REDFISH_PROPERTIES,
  type RedfishDriverInfo,
  RedfishPower,
  type RedfishPowerOptions,
} from './redfish-power.js';
