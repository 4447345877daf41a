import {
  memberUris,
  odataId,
  type RedfishClient,
  type RedfishRequestOptions,
  type RedfishResource,
  readSystemPower as readPower,
  UnexpectedRedfishResponse,
} from '@ironic/redfish';
import type { IdracBmc } from './bmc-connector.js';

/** Where an iDRAC keeps its job queue (Dell's `DellJob` resources). */
export const IDRAC_JOBS_PATH = '/redfish/v1/Managers/iDRAC.Embedded.1/Jobs';

/** A physical drive behind a RAID controller. */
export interface DriveInventory {
  /** The drive's Id (its FQDD on an iDRAC, e.g. `Disk.Bay.0:Enclosure.Internal.0-1:RAID.Integrated.1-1`). */
  readonly id: string;
  readonly uri: string;
  readonly capacityBytes: number;
  /** Redfish `MediaType`: `HDD`, `SSD`, or unknown. */
  readonly mediaType: string | undefined;
  /** Redfish `Protocol`: `SAS`, `SATA`, ... or unknown. */
  readonly protocol: string | undefined;
  /** Whether a volume already uses the drive. */
  readonly inUse: boolean;
}

/** A storage controller (a Redfish `Storage` resource) with its drives. */
export interface ControllerInventory {
  /** The Storage resource's Id (the controller's FQDD on an iDRAC, e.g. `RAID.Integrated.1-1`). */
  readonly id: string;
  readonly uri: string;
  readonly volumesUri: string;
  /** `SupportedRAIDTypes` of its controller; empty for a controller that cannot build volumes. */
  readonly supportedRaidTypes: readonly string[];
  readonly drives: readonly DriveInventory[];
}

/** A volume (virtual disk) that exists on a controller. */
export interface VolumeInventory {
  readonly id: string;
  readonly uri: string;
  readonly controller: string;
  readonly name: string | undefined;
  readonly raidType: string | undefined;
  readonly capacityBytes: number;
  /** Ids of the member drives. */
  readonly driveIds: readonly string[];
}

/** A Dell job as the periodic task needs it. */
export interface JobStatus {
  readonly id: string;
  /** Dell `JobState`: `Scheduled`, `Running`, `Completed`, `Failed`, `CompletedWithErrors`... */
  readonly state: string;
  /** The BMC's message about the job (why it failed, for a failed one). */
  readonly message: string;
  readonly percentComplete: number | undefined;
}

function string(resource: RedfishResource, key: string): string | undefined {
  const value = resource[key];
  return typeof value === 'string' ? value : undefined;
}

function number(resource: RedfishResource, key: string): number | undefined {
  const value = resource[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const linkOf = odataId;

function links(value: unknown): string[] {
  return Array.isArray(value) ? memberUris(value) : [];
}

function required<T>(value: T | undefined, what: string, uri: string): T {
  if (value === undefined) throw new UnexpectedRedfishResponse(`The Redfish resource ${uri} has no ${what}`);
  return value;
}

/** The last segment of a resource URI, decoded: how a member's Id appears in links. */
export function lastSegment(uri: string): string {
  const segment = uri.replace(/\/+$/, '').split('/').pop() ?? uri;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Members of a Redfish collection, as URIs. */
export async function collectionMembers(client: RedfishClient, uri: string): Promise<string[]> {
  return memberUris(await client.get(uri));
}

/**
 * The system's power state (`On`, `Off`, `PoweringOn`, `PoweringOff`) and its reset action's target:
 * one GET of the system.
 */
export async function readSystemPower(
  bmc: IdracBmc,
  options: RedfishRequestOptions = {},
): Promise<{ powerState: string | undefined; resetTarget: string }> {
  const { powerState, resetTarget } = await readPower(bmc.client, bmc.systemId, options);
  return { powerState, resetTarget };
}

/** Every storage controller of the system with its drives (one request per controller and per drive). */
export async function readControllers({ client, systemId }: IdracBmc): Promise<ControllerInventory[]> {
  const storageUris = await collectionMembers(client, `${systemId}/Storage`);
  const controllers: ControllerInventory[] = [];
  for (const uri of storageUris) {
    const storage = await client.get(uri);
    const controller = (
      Array.isArray(storage.StorageControllers) ? storage.StorageControllers[0] : undefined
    ) as RedfishResource | undefined;
    const raidTypes = controller?.SupportedRAIDTypes;
    const drives: DriveInventory[] = [];
    for (const driveUri of links(storage.Drives)) {
      const drive = await client.get(driveUri);
      const volumeLinks = (drive.Links as { Volumes?: unknown } | undefined)?.Volumes;
      drives.push({
        id: string(drive, 'Id') ?? lastSegment(driveUri),
        uri: driveUri,
        capacityBytes: required(number(drive, 'CapacityBytes'), 'CapacityBytes', driveUri),
        mediaType: string(drive, 'MediaType'),
        protocol: string(drive, 'Protocol'),
        inUse: links(volumeLinks).length > 0,
      });
    }
    controllers.push({
      id: string(storage, 'Id') ?? lastSegment(uri),
      uri,
      volumesUri: linkOf(storage.Volumes) ?? `${uri}/Volumes`,
      supportedRaidTypes: Array.isArray(raidTypes)
        ? raidTypes.filter((t): t is string => typeof t === 'string')
        : [],
      drives,
    });
  }
  return controllers;
}

/** URIs of every volume of every controller of the system. */
export async function listVolumeUris({ client, systemId }: IdracBmc): Promise<string[]> {
  const uris: string[] = [];
  for (const storageUri of await collectionMembers(client, `${systemId}/Storage`)) {
    const storage = await client.get(storageUri);
    const volumes = linkOf(storage.Volumes);
    if (volumes) uris.push(...(await collectionMembers(client, volumes)));
  }
  return uris;
}

/** Every volume of every controller, read back in full. */
export async function readVolumes({ client, systemId }: IdracBmc): Promise<VolumeInventory[]> {
  const found: VolumeInventory[] = [];
  for (const storageUri of await collectionMembers(client, `${systemId}/Storage`)) {
    const storage = await client.get(storageUri);
    const volumesUri = linkOf(storage.Volumes);
    if (!volumesUri) continue;
    const controller = string(storage, 'Id') ?? lastSegment(storageUri);
    for (const uri of await collectionMembers(client, volumesUri)) {
      const volume = await client.get(uri);
      const driveLinks = (volume.Links as { Drives?: unknown } | undefined)?.Drives;
      found.push({
        id: string(volume, 'Id') ?? lastSegment(uri),
        uri,
        controller,
        name: string(volume, 'Name'),
        raidType: string(volume, 'RAIDType'),
        capacityBytes: required(number(volume, 'CapacityBytes'), 'CapacityBytes', uri),
        driveIds: links(driveLinks).map(lastSegment),
      });
    }
  }
  return found;
}

/**
 * The job id of an accepted (202) request: the last segment of its `Location` (a task monitor,
 * `.../TaskMonitors/JID_123`, or on older firmware the job itself, `.../Jobs/JID_123`).
 */
function jobIdFrom(reply: { location: string | undefined }, what: string): string {
  if (!reply.location) {
    throw new UnexpectedRedfishResponse(`The BMC accepted ${what} but gave no job Location to follow it`);
  }
  return lastSegment(new URL(reply.location, 'http://bmc.invalid').pathname);
}

/** Asks the controller for a new volume; resolves to the id of the job that creates it. */
export async function createVolume(
  client: RedfishClient,
  volumesUri: string,
  payload: RedfishResource,
): Promise<string> {
  const reply = await client.post(volumesUri, payload);
  return jobIdFrom(reply, `the creation of a volume at ${volumesUri}`);
}

/** Asks the controller to delete a volume; resolves to the id of the job that deletes it. */
export async function deleteVolume(client: RedfishClient, volumeUri: string): Promise<string> {
  const reply = await client.delete(volumeUri);
  return jobIdFrom(reply, `the deletion of ${volumeUri}`);
}

/** A job of the iDRAC's queue. */
export async function readJob(
  client: RedfishClient,
  jobId: string,
  options: RedfishRequestOptions = {},
): Promise<JobStatus> {
  const uri = `${IDRAC_JOBS_PATH}/${encodeURIComponent(jobId)}`;
  const job = await client.get(uri, options);
  return {
    id: string(job, 'Id') ?? jobId,
    state: required(string(job, 'JobState'), 'JobState', uri),
    message: string(job, 'Message') ?? '',
    percentComplete: number(job, 'PercentComplete'),
  };
}
