/** The fixed resource names and URIs of an iDRAC 9 with one integrated PERC controller. */

/** Id of the only system an iDRAC manages. */
export const SYSTEM_ID = 'System.Embedded.1';
/** Id of the iDRAC itself (the Redfish Manager). */
export const MANAGER_ID = 'iDRAC.Embedded.1';
/** FQDD of the integrated RAID controller (the Storage resource's Id). */
export const CONTROLLER_ID = 'RAID.Integrated.1-1';
/** FQDD of the backplane enclosure the drives sit in. */
export const ENCLOSURE_ID = 'Enclosure.Internal.0-1';

export const ROOT_URI = '/redfish/v1';
export const SYSTEMS_URI = `${ROOT_URI}/Systems`;
export const SYSTEM_URI = `${SYSTEMS_URI}/${SYSTEM_ID}`;
export const RESET_URI = `${SYSTEM_URI}/Actions/ComputerSystem.Reset`;
export const STORAGE_COLLECTION_URI = `${SYSTEM_URI}/Storage`;
export const STORAGE_URI = `${STORAGE_COLLECTION_URI}/${CONTROLLER_ID}`;
export const VOLUMES_URI = `${STORAGE_URI}/Volumes`;
export const MANAGERS_URI = `${ROOT_URI}/Managers`;
export const MANAGER_URI = `${MANAGERS_URI}/${MANAGER_ID}`;
export const JOBS_URI = `${MANAGER_URI}/Jobs`;
export const TASK_SERVICE_URI = `${ROOT_URI}/TaskService`;
/** DMTF task view of the same jobs (newer iDRAC firmware links here). */
export const TASKS_URI = `${TASK_SERVICE_URI}/Tasks`;
/** Where the task monitors of accepted requests live (a 202's `Location`). */
export const TASK_MONITORS_URI = `${TASK_SERVICE_URI}/TaskMonitors`;
export const SESSION_SERVICE_URI = `${ROOT_URI}/SessionService`;
export const SESSIONS_URI = `${SESSION_SERVICE_URI}/Sessions`;
export const CHASSIS_COLLECTION_URI = `${ROOT_URI}/Chassis`;
/** The server's own chassis (an iDRAC names it after the system). */
export const SYSTEM_CHASSIS_URI = `${CHASSIS_COLLECTION_URI}/${SYSTEM_ID}`;
/** The backplane the drives sit in: the chassis their FQDDs and links name. */
export const ENCLOSURE_URI = `${CHASSIS_COLLECTION_URI}/${ENCLOSURE_ID}`;

export const BIOS_URI = `${SYSTEM_URI}/Bios`;
export const BOOT_OPTIONS_URI = `${SYSTEM_URI}/BootOptions`;
export const SYSTEM_ETHERNET_URI = `${SYSTEM_URI}/EthernetInterfaces`;
export const MEMORY_URI = `${SYSTEM_URI}/Memory`;
export const PROCESSORS_URI = `${SYSTEM_URI}/Processors`;
export const SIMPLE_STORAGE_URI = `${SYSTEM_URI}/SimpleStorage`;

export const MANAGER_ETHERNET_URI = `${MANAGER_URI}/EthernetInterfaces`;
export const LOG_SERVICES_URI = `${MANAGER_URI}/LogServices`;
export const SEL_URI = `${LOG_SERVICES_URI}/Sel`;
export const NETWORK_PROTOCOL_URI = `${MANAGER_URI}/NetworkProtocol`;
export const ACCOUNT_SERVICE_URI = `${MANAGER_URI}/AccountService`;
export const ACCOUNTS_URI = `${ACCOUNT_SERVICE_URI}/Accounts`;

export const EVENT_SERVICE_URI = `${ROOT_URI}/EventService`;
export const SUBSCRIPTIONS_URI = `${EVENT_SERVICE_URI}/Subscriptions`;
export const UPDATE_SERVICE_URI = `${ROOT_URI}/UpdateService`;
export const FIRMWARE_INVENTORY_URI = `${UPDATE_SERVICE_URI}/FirmwareInventory`;
export const REGISTRIES_URI = `${ROOT_URI}/Registries`;
export const FABRICS_URI = `${ROOT_URI}/Fabrics`;
export const JSON_SCHEMAS_URI = `${ROOT_URI}/JSONSchemas`;
/** Dell's OEM alias of the job queue; serves the same jobs as {@link JOBS_URI}. */
export const OEM_JOBS_URI = `${MANAGER_URI}/Oem/Dell/Jobs`;

/** FQDD of the drive in bay `bay`. */
export function driveId(bay: number): string {
  return `Disk.Bay.${bay}:${ENCLOSURE_ID}:${CONTROLLER_ID}`;
}

/** FQDD of virtual disk number `index`. */
export function volumeId(index: number): string {
  return `Disk.Virtual.${index}:${CONTROLLER_ID}`;
}

export function driveUri(id: string): string {
  return `${STORAGE_URI}/Drives/${id}`;
}

export function volumeUri(id: string): string {
  return `${VOLUMES_URI}/${id}`;
}

export function jobUri(id: string, base: string = JOBS_URI): string {
  return `${base}/${id}`;
}

export function taskUri(id: string): string {
  return `${TASKS_URI}/${id}`;
}

export function taskMonitorUri(id: string): string {
  return `${TASK_MONITORS_URI}/${id}`;
}

export function sessionUri(id: string): string {
  return `${SESSIONS_URI}/${id}`;
}
