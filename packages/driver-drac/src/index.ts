import { dracDriver } from './driver.js';

export { BmcConnector, type BmcConnectorOptions, type IdracBmc } from './bmc-connector.js';
export { DEFAULT_POWER_STATE_TIMEOUT_MS, DracPower, powerStateOf } from './drac-power.js';
export {
  DracRAID,
  pendingRaidJobIds,
  RAID_JOB_IDS_KEY,
  RAID_JOB_POLL_TASK,
  RAID_OPERATION_KEY,
  RAID_ROOT_DISKS_KEY,
  type RaidOperation,
} from './drac-raid.js';
export { createDracDriver, DRAC_DRIVER_NAME, type DracDriver, dracDriver } from './driver.js';
export { DEFAULT_SYSTEM_ID, DRAC_PROPERTIES, parseDriverInfo, type RedfishEndpoint } from './driver-info.js';
export {
  BmcUnreachable,
  DracError,
  PowerStateTimeout,
  RedfishAuthError,
  RedfishError,
  type RedfishExtendedInfo,
  UnexpectedRedfishResponse,
} from './errors.js';
export type { ControllerInventory, DriveInventory, JobStatus, VolumeInventory } from './idrac-resources.js';
export { type DracOptions, type DracOptionsInput, dracOptionsSchema } from './options.js';
export { validateRaidConfig } from './raid-config.js';
export {
  RAID_LEVELS,
  type RaidLevel,
  type RaidLevelRule,
  type RedfishRaidType,
  raidLevelOf,
} from './raid-levels.js';
export type { ReportedLogicalDisk, ReportedRaidConfig } from './raid-report.js';
export { BYTES_PER_GIB, type PlannedVolume, type PlanOptions, planVolumes } from './volume-plan.js';

export default dracDriver;
