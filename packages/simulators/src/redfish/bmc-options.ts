import { InvalidBmcOptionError } from './errors.js';
import { driveId } from './paths.js';
import type { AddBmcOptions, DriveInfo, DriveSpec, FailedJobState, PowerState } from './types.js';

/** {@link AddBmcOptions} with every default filled in and every value checked. */
export interface ResolvedBmcOptions {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly maxConcurrentRequests: number;
  readonly responseDelayMs: number;
  readonly jobDurationMs: number;
  readonly failJobs: string | false;
  readonly failedJobState: FailedJobState;
  readonly drives: readonly DriveInfo[];
  readonly powerState: PowerState;
  readonly sessionService: boolean;
  readonly sessionTimeoutSeconds: number;
}

/** iDRAC's factory credentials. */
export const DEFAULT_USERNAME = 'root';
export const DEFAULT_PASSWORD = 'calvin';
/** An iDRAC serves very few Redfish requests at once. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 2;
export const DEFAULT_JOB_DURATION_MS = 30_000;
/** An iDRAC's default `SessionTimeout`. */
export const DEFAULT_SESSION_TIMEOUT_SECONDS = 1800;
/** Four 600 GB SAS disks, a common PowerEdge R640 build. */
export const DEFAULT_DRIVES: readonly DriveSpec[] = [
  { capacityGb: 600 },
  { capacityGb: 600 },
  { capacityGb: 600 },
  { capacityGb: 600 },
];

const BYTES_PER_GB = 1_000_000_000;

function nonEmptyString(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidBmcOptionError(option, `expected a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function number(option: string, value: unknown, fallback: number, min: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? 'an integer' : 'a finite number';
    throw new InvalidBmcOptionError(option, `expected ${kind} >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function boolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidBmcOptionError(option, `expected true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks a failedJobState value. */
export function checkFailedJobState(value: unknown): FailedJobState {
  if (value === undefined) return 'Failed';
  if (value !== 'Failed' && value !== 'CompletedWithErrors') {
    throw new InvalidBmcOptionError(
      'failedJobState',
      `expected 'Failed' or 'CompletedWithErrors', got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Checks a failJobs value (also used by the runtime setter). */
export function checkFailJobs(value: unknown): string | false {
  if (value === undefined || value === false) return false;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidBmcOptionError(
      'failJobs',
      `expected false or a non-empty message, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Checks a job duration (also used by the runtime setter). */
export function checkJobDuration(value: unknown): number {
  return number('jobDurationMs', value, DEFAULT_JOB_DURATION_MS, 0, false);
}

/** Checks a response delay (also used by the runtime setter). */
export function checkResponseDelay(value: unknown): number {
  return number('responseDelayMs', value, 0, 0, false);
}

function buildDrives(specs: unknown): DriveInfo[] {
  if (specs === undefined) return buildDrives(DEFAULT_DRIVES);
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new InvalidBmcOptionError('drives', 'expected a non-empty array of { capacityGb, mediaType? }');
  }
  return specs.map((spec: unknown, bay) => {
    const record = (typeof spec === 'object' && spec !== null ? spec : {}) as Partial<DriveSpec>;
    const capacityGb = record.capacityGb;
    if (typeof capacityGb !== 'number' || !Number.isFinite(capacityGb) || capacityGb <= 0) {
      throw new InvalidBmcOptionError(
        `drives[${bay}].capacityGb`,
        `expected a positive number, got ${JSON.stringify(capacityGb)}`,
      );
    }
    const mediaType = record.mediaType ?? 'HDD';
    if (mediaType !== 'HDD' && mediaType !== 'SSD') {
      throw new InvalidBmcOptionError(
        `drives[${bay}].mediaType`,
        `expected 'HDD' or 'SSD', got ${JSON.stringify(mediaType)}`,
      );
    }
    return {
      id: driveId(bay),
      name: `Physical Disk 0:1:${bay}`,
      capacityBytes: Math.round(capacityGb * BYTES_PER_GB),
      mediaType,
      protocol: mediaType === 'SSD' ? 'SATA' : 'SAS',
    };
  });
}

/** Fills in defaults and rejects bad values with an {@link InvalidBmcOptionError} naming the option. */
export function resolveBmcOptions(options: AddBmcOptions, defaultId: string): ResolvedBmcOptions {
  const powerState = options.powerState ?? 'Off';
  if (powerState !== 'On' && powerState !== 'Off') {
    throw new InvalidBmcOptionError(
      'powerState',
      `expected 'On' or 'Off', got ${JSON.stringify(powerState)}`,
    );
  }
  return {
    id: nonEmptyString('id', options.id, defaultId),
    username: nonEmptyString('username', options.username, DEFAULT_USERNAME),
    password: nonEmptyString('password', options.password, DEFAULT_PASSWORD),
    maxConcurrentRequests: number(
      'maxConcurrentRequests',
      options.maxConcurrentRequests,
      DEFAULT_MAX_CONCURRENT_REQUESTS,
      1,
      true,
    ),
    responseDelayMs: checkResponseDelay(options.responseDelayMs),
    jobDurationMs: checkJobDuration(options.jobDurationMs),
    failJobs: checkFailJobs(options.failJobs),
    failedJobState: checkFailedJobState(options.failedJobState),
    drives: buildDrives(options.drives),
    powerState,
    sessionService: boolean('sessionService', options.sessionService, true),
    sessionTimeoutSeconds: number(
      'sessionTimeoutSeconds',
      options.sessionTimeoutSeconds,
      DEFAULT_SESSION_TIMEOUT_SECONDS,
      1,
      false,
    ),
  };
}
