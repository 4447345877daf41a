import { messages, RedfishHttpError } from './messages.js';
import { driveUri } from './paths.js';
import { driveCountFits, isRaidType, maxCapacityBytes } from './raid-levels.js';
import type { DriveInfo, RaidType } from './types.js';

/** The annotation by which a client says when the operation applies (sushy's `apply_time`). */
const APPLY_TIME = '@Redfish.OperationApplyTime';
/** What the volume collection's `@Redfish.OperationApplyTimeSupport` offers. */
export const SUPPORTED_APPLY_TIMES: readonly string[] = ['Immediate'];

/** A validated `POST .../Volumes` body. */
export interface VolumeRequest {
  readonly raidType: RaidType;
  readonly driveIds: readonly string[];
  readonly capacityBytes: number;
  /** `undefined` when the client gave no `Name`. */
  readonly name: string | undefined;
}

/** What the controller looks like to a new volume request. */
export interface ControllerView {
  readonly drives: readonly DriveInfo[];
  /** Drives held by an existing volume or by a volume a pending job will create. */
  readonly busyDriveIds: ReadonlySet<string>;
}

function badRequest(message: ReturnType<(typeof messages)[keyof typeof messages]>): RedfishHttpError {
  return new RedfishHttpError(400, [message]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Checks a `POST .../Volumes` body the way an iDRAC does: a known `RAIDType`, `Links.Drives` naming
 * free drives of this controller in a number the level allows, and an optional `CapacityBytes` (absent
 * means the largest the drives allow). Throws a 400 {@link RedfishHttpError} naming the bad property.
 */
export function parseVolumeRequest(body: unknown, controller: ControllerView): VolumeRequest {
  if (!isObject(body)) {
    throw badRequest(messages.propertyValueTypeError(shown(body), 'Volume'));
  }
  const raidType = body.RAIDType;
  if (raidType === undefined) {
    throw badRequest(messages.propertyMissing('RAIDType'));
  }
  if (typeof raidType !== 'string') {
    throw badRequest(messages.propertyValueTypeError(shown(raidType), 'RAIDType'));
  }
  if (!isRaidType(raidType)) {
    throw badRequest(messages.propertyValueNotInList(raidType, 'RAIDType'));
  }
  const drives = parseDrives(body.Links, controller);
  if (!driveCountFits(raidType, drives.length)) {
    throw badRequest(messages.propertyValueConflict('Links.Drives', 'RAIDType'));
  }
  const largest = maxCapacityBytes(
    raidType,
    drives.map((d) => d.capacityBytes),
  );
  const capacityBytes = parseCapacity(body.CapacityBytes, largest);
  const name = body.Name;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    throw badRequest(messages.propertyValueTypeError(shown(name), 'Name'));
  }
  const applyTime = body[APPLY_TIME];
  if (applyTime !== undefined && !SUPPORTED_APPLY_TIMES.includes(applyTime as string)) {
    throw badRequest(messages.propertyValueNotInList(shown(applyTime), APPLY_TIME));
  }
  return { raidType, driveIds: drives.map((d) => d.id), capacityBytes, name };
}

function parseDrives(links: unknown, controller: ControllerView): DriveInfo[] {
  if (links === undefined || (isObject(links) && links.Drives === undefined)) {
    throw badRequest(messages.propertyMissing('Links.Drives'));
  }
  if (!isObject(links) || !Array.isArray(links.Drives) || links.Drives.length === 0) {
    throw badRequest(
      messages.propertyValueTypeError(shown(isObject(links) ? links.Drives : links), 'Links.Drives'),
    );
  }
  const byUri = new Map(controller.drives.map((d) => [driveUri(d.id), d]));
  const chosen: DriveInfo[] = [];
  for (const link of links.Drives) {
    const uri = isObject(link) ? link['@odata.id'] : undefined;
    if (typeof uri !== 'string') {
      throw badRequest(messages.propertyValueTypeError(shown(link), 'Links.Drives'));
    }
    const drive = byUri.get(uri.replace(/\/$/, ''));
    if (drive === undefined) {
      throw badRequest(messages.resourceMissingAtUri(uri));
    }
    if (controller.busyDriveIds.has(drive.id) || chosen.includes(drive)) {
      throw badRequest(messages.resourceInUse(uri));
    }
    chosen.push(drive);
  }
  return chosen;
}

function parseCapacity(value: unknown, largest: number): number {
  if (value === undefined || value === null) {
    return largest;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw badRequest(messages.propertyValueTypeError(shown(value), 'CapacityBytes'));
  }
  if (value > largest) {
    throw badRequest(messages.propertyValueOutOfRange(String(value), 'CapacityBytes'));
  }
  return value;
}
