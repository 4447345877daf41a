export {
  DEFAULT_DRIVES as IDRAC_DEFAULT_DRIVES,
  DEFAULT_JOB_DURATION_MS as IDRAC_DEFAULT_JOB_DURATION_MS,
  DEFAULT_MAX_CONCURRENT_REQUESTS as IDRAC_DEFAULT_MAX_CONCURRENT_REQUESTS,
  DEFAULT_PASSWORD as IDRAC_DEFAULT_PASSWORD,
  DEFAULT_USERNAME as IDRAC_DEFAULT_USERNAME,
} from './bmc-options.js';
export { RESET_TYPES as IDRAC_RESET_TYPES } from './bmc-state.js';
export {
  DuplicateBmcError,
  FleetClosedError,
  InvalidBmcOptionError,
  RedfishSimulatorError,
} from './errors.js';
export { RedfishFleet, type RedfishFleetOptions, startRedfishFleet } from './fleet.js';
export type { BmcIdentity } from './identity.js';
export type { RedfishErrorBody, RedfishMessage } from './messages.js';
export {
  CONTROLLER_ID as IDRAC_CONTROLLER_ID,
  driveId as idracDriveId,
  JOBS_URI as IDRAC_JOBS_URI,
  MANAGER_ID as IDRAC_MANAGER_ID,
  SESSIONS_URI as REDFISH_SESSIONS_URI,
  SYSTEM_ID as IDRAC_SYSTEM_ID,
  SYSTEM_URI as IDRAC_SYSTEM_URI,
  TASK_MONITORS_URI as REDFISH_TASK_MONITORS_URI,
  TASKS_URI as REDFISH_TASKS_URI,
  volumeId as idracVolumeId,
} from './paths.js';
export { SUPPORTED_RAID_TYPES as IDRAC_RAID_TYPES } from './raid-levels.js';
export type { SessionInfo as BmcSessionInfo } from './session-store.js';
export { SimulatedBmc } from './simulated-bmc.js';
export type {
  AddBmcOptions,
  BmcEventMap,
  BmcStats,
  DriveInfo,
  DriveMediaType,
  DriveSpec,
  FailedJobState,
  JobInfo,
  JobOperation,
  JobState,
  PowerState,
  RaidType,
  RedfishClock,
  RedfishLogger,
  ResetType,
  VolumeInfo,
} from './types.js';
