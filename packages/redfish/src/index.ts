export { type RedfishClock, systemClock } from './clock.js';
export {
  InvalidRedfishEndpoint,
  parseVerify,
  type RedfishEndpoint,
  type RedfishTlsOptions,
  redfishOrigin,
} from './endpoint.js';
export {
  BmcUnreachable,
  RedfishAuthError,
  RedfishClientError,
  RedfishConnectorClosed,
  RedfishError,
  RequestAborted,
  TaskFailed,
  TaskMonitorTimeout,
  UnexpectedRedfishResponse,
} from './errors.js';
export {
  bmcMessageOf,
  extendedInfoOf,
  memberUris,
  messageTexts,
  odataId,
  type RedfishMessage,
  type RedfishResource,
} from './messages.js';
export {
  type RedfishAuthMode,
  RedfishClient,
  type RedfishMethod,
  type RedfishReply,
  type RedfishRequestOptions,
} from './redfish-client.js';
export {
  RedfishConnector,
  type RedfishConnectorOptions,
  type RedfishConnectorStats,
  type RedfishLogger,
} from './redfish-connector.js';
export { RequestLimiter, type RequestLimiterOptions, type RequestLimiterStats } from './request-limiter.js';
export { retryAfterMs } from './retry-after.js';
export {
  type IronicPowerState,
  ironicPowerState,
  readSystemPower,
  resetSystem,
  type SystemPower,
} from './system-power.js';
export {
  DEFAULT_RETRY_AFTER_MS,
  parseTask,
  type RedfishTask,
  TaskMonitor,
  type TaskMonitorPoll,
  type TaskOutcome,
  type TaskWaitOptions,
  taskSucceeded,
} from './task-monitor.js';
