/**
 * Source of the current time in epoch milliseconds. Structurally compatible with the `Clock` of
 * `@ironic/periodic-core`, so a test's fake clock can be passed straight in.
 */
export interface RedfishClock {
  now(): number;
}

/** Minimal structured logger (pino-compatible) the simulator reports to. */
export interface RedfishLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** `ComputerSystem.PowerState` values the simulated system can be in. */
export type PowerState = 'On' | 'Off';

/** `ResetType` values an iDRAC accepts on `#ComputerSystem.Reset`. */
export type ResetType =
  | 'On'
  | 'ForceOff'
  | 'ForceRestart'
  | 'GracefulRestart'
  | 'GracefulShutdown'
  | 'PushPowerButton'
  | 'Nmi'
  | 'PowerCycle';

/** Redfish `RAIDType` values the simulated PERC controller supports. */
export type RaidType = 'RAID0' | 'RAID1' | 'RAID5' | 'RAID6' | 'RAID10' | 'RAID50' | 'RAID60';

/** Drive `MediaType`. */
export type DriveMediaType = 'HDD' | 'SSD';

/** A physical drive to put behind the BMC's RAID controller. */
export interface DriveSpec {
  /** Size in decimal gigabytes (600 → 600 000 000 000 bytes). */
  capacityGb: number;
  /** Defaults to `'HDD'`. */
  mediaType?: DriveMediaType;
}

/** Options of one simulated BMC. Every field is optional. */
export interface AddBmcOptions {
  /** Unique within the fleet; defaults to `bmc-<n>`. */
  id?: string;
  /** HTTP Basic user name; defaults to iDRAC's `root`. */
  username?: string;
  /** HTTP Basic password; defaults to iDRAC's `calvin`. */
  password?: string;
  /** Requests served at once before the BMC answers 503; defaults to 2. */
  maxConcurrentRequests?: number;
  /** Real-time delay before each response, to make requests overlap; defaults to 0. */
  responseDelayMs?: number;
  /** How long (on the injected clock) a RAID job takes from creation to its end; defaults to 30 000. */
  jobDurationMs?: number;
  /** A message makes every job end `Failed` with it; `false` (default) lets jobs complete. */
  failJobs?: string | false;
  /** The `JobState` a failing job (see `failJobs`) ends in; defaults to `'Failed'`. */
  failedJobState?: FailedJobState;
  /** Physical drives; defaults to four 600 GB HDDs. */
  drives?: DriveSpec[];
  /** Initial `PowerState`; defaults to `'Off'`. */
  powerState?: PowerState;
  /**
   * Whether the BMC has a SessionService (clients log in with `POST .../Sessions` for an `X-Auth-Token`);
   * `false` leaves only HTTP Basic. Defaults to `true`.
   */
  sessionService?: boolean;
  /** Idle seconds after which a session expires (the SessionService's `SessionTimeout`); defaults to 1800. */
  sessionTimeoutSeconds?: number;
}

/** A physical drive as the simulator holds it. */
export interface DriveInfo {
  readonly id: string;
  readonly name: string;
  readonly capacityBytes: number;
  readonly mediaType: DriveMediaType;
  readonly protocol: 'SAS' | 'SATA';
}

/** A RAID volume (virtual disk) that exists on the controller. */
export interface VolumeInfo {
  readonly id: string;
  readonly name: string;
  readonly raidType: RaidType;
  readonly capacityBytes: number;
  readonly driveIds: readonly string[];
}

/** The `JobState`s a failed job may end in on an iDRAC. */
export type FailedJobState = 'Failed' | 'CompletedWithErrors';

/** Dell `JobState` values the simulator produces. */
export type JobState = 'Scheduled' | 'Running' | 'Completed' | 'Failed' | 'CompletedWithErrors';

/** What a RAID job does when it ends successfully. */
export type JobOperation =
  | { readonly kind: 'createVolume'; readonly volume: VolumeInfo }
  | { readonly kind: 'deleteVolume'; readonly volumeId: string };

/** A snapshot of an iDRAC job, computed from the clock at the time it was taken. */
export interface JobInfo {
  readonly id: string;
  readonly name: string;
  readonly jobType: 'RealTimeNoRebootConfiguration';
  readonly state: JobState;
  readonly percentComplete: number;
  readonly message: string;
  readonly messageId: string;
  readonly operation: JobOperation;
  /** Epoch ms (injected clock) when the job was created. */
  readonly createdAt: number;
  /** Epoch ms (injected clock) when the job ends. */
  readonly endsAt: number;
}

/** Request counters of one BMC. */
export interface BmcStats {
  /** Requests that reached the BMC (including rejected ones). */
  readonly requests: number;
  /** Highest number of requests served at the same time. */
  readonly maxConcurrencySeen: number;
  /** Requests refused with 503 because the concurrency limit was reached. */
  readonly rejected503: number;
  /** Requests per method and path, e.g. `{"GET /redfish/v1/Systems/System.Embedded.1": 3}`. */
  readonly byRoute: Readonly<Record<string, number>>;
  /** TCP connections accepted: a client keeping its connection alive opens one for many requests. */
  readonly connections: number;
  /** Sessions created through the SessionService. */
  readonly sessionsCreated: number;
}

/** Events a simulated BMC emits. */
export interface BmcEventMap {
  /** The system's power changed; a restart emits `'Off'` then `'On'`. */
  power: [state: PowerState, resetType: ResetType];
  /** A request arrived (before the concurrency limit is checked; `path` decoded, without query string). */
  received: [method: string, path: string];
  /** A request was answered (`path` decoded, without query string). */
  request: [method: string, path: string, status: number];
}
