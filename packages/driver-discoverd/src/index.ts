import { discoverdDriver } from './driver.js';

export {
  type DiscoverdCallOptions,
  DiscoverdClient,
  type DiscoverdClientOptions,
  type IntrospectionData,
  type IntrospectionStatus,
} from './discoverd-client.js';
export {
  CHECK_INSPECT_STATUS_TASK,
  DiscoverdInspect,
  type DiscoverdInspectServices,
  type DiscoverdInspectStats,
  INSPECTION_FAILED_PREFIX,
  INSPECTION_FINISHED_AT,
  INSPECTION_STARTED_AT,
  INSPECTION_TIMEOUT_MESSAGE,
} from './discoverd-inspect.js';
export { DISCOVERD_DRIVER_NAME, discoverdDriver } from './driver.js';
export {
  DiscoverdClientError,
  DiscoverdError,
  DiscoverdInvalidResponse,
  DiscoverdNodeNotFound,
  DiscoverdNodeNotInIronic,
  DiscoverdUnreachable,
  InvalidIntrospectionData,
} from './errors.js';
export { type InspectedProperties, inspectedProperties } from './inspected-properties.js';
export { type DiscoverdOptions, type DiscoverdOptionsInput, discoverdOptionsSchema } from './options.js';

/** The driver package the conductor loads: `drivers: ['@ironic/driver-discoverd']`. */
export default discoverdDriver;
