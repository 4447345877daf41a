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
/** DMTF task view of the same jobs (newer iDRAC firmware links here). */
export const TASKS_URI = `${ROOT_URI}/TaskService/Tasks`;
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
