export {
  MAX_API_VERSION,
  MAX_VERSION_HEADER,
  MIN_API_VERSION,
  MIN_VERSION_HEADER,
  VERSION_HEADER,
} from './api-version.js';
export { DEFAULT_DURATION_MS } from './behaviour.js';
export { DiscoverdSimulatorError, InvalidBehaviourError, InvalidNodeUuidError } from './errors.js';
export { defaultHardware, variedHardware } from './hardware.js';
export type {
  IntrospectionData,
  InventoryDisk,
  InventoryInterface,
  ProcessedInterface,
} from './introspection-data.js';
export { VALID_STATES as INSPECTOR_VALID_STATES } from './ironic-nodes.js';
export {
  type DiscoverdSimulator,
  type DiscoverdSimulatorOptions,
  startDiscoverdSimulator,
} from './simulator.js';
export { ABORT_MESSAGE, STARTING_MS, TIMEOUT_MESSAGE } from './timeline.js';
export type {
  Clock,
  DiscoverdStats,
  HardwareProfile,
  IntrospectionState,
  IntrospectionView,
  NodeBehaviour,
} from './types.js';
export type { IntrospectionStatusBody, Link } from './wire-format.js';
export { formatInspectorTimestamp } from './wire-format.js';
