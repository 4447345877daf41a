import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type JobRecord, jobAt, jobHasEnded } from './job-timeline.js';
import { messages, RedfishHttpError } from './messages.js';
import { CONTROLLER_ID, volumeId, volumeUri } from './paths.js';
import type {
  BmcEventMap,
  DriveInfo,
  FailedJobState,
  JobInfo,
  PowerState,
  RedfishClock,
  ResetType,
  VolumeInfo,
} from './types.js';
import { parseVolumeRequest } from './volume-request.js';

/** Every `ResetType` an iDRAC 9 lists in `ResetType@Redfish.AllowableValues`. */
export const RESET_TYPES: readonly ResetType[] = [
  'On',
  'ForceOff',
  'ForceRestart',
  'GracefulRestart',
  'GracefulShutdown',
  'PushPowerButton',
  'Nmi',
  'PowerCycle',
];

/** Whether `value` is a `ResetType` the iDRAC accepts. */
export function isResetType(value: unknown): value is ResetType {
  return typeof value === 'string' && (RESET_TYPES as readonly string[]).includes(value);
}

/** Settings of a BMC that may change while it runs. */
export interface BmcBehaviour {
  jobDurationMs: number;
  failJobs: string | false;
  /** The state failing jobs end in. */
  failedJobState: FailedJobState;
}

/**
 * Everything one simulated iDRAC knows: power, drives, volumes and its job queue. Jobs are never
 * driven by timers: whenever state is read, jobs whose end time has passed on the clock apply their
 * effect, in the order they ended.
 */
export class BmcState {
  /** Emits `'power'` whenever the system's power changes. */
  readonly events = new EventEmitter<BmcEventMap>();
  readonly drives: readonly DriveInfo[];
  private power: PowerState;
  private readonly volumeMap = new Map<string, VolumeInfo>();
  private readonly jobRecords = new Map<string, JobRecord>();
  private readonly unappliedJobs = new Set<string>();

  constructor(
    private readonly clock: RedfishClock,
    drives: readonly DriveInfo[],
    powerState: PowerState,
    readonly behaviour: BmcBehaviour,
  ) {
    this.drives = drives;
    this.power = powerState;
  }

  get powerState(): PowerState {
    return this.power;
  }

  /** Volumes that exist now, in creation order. */
  volumes(): VolumeInfo[] {
    this.settle();
    return [...this.volumeMap.values()];
  }

  volume(id: string): VolumeInfo | undefined {
    this.settle();
    return this.volumeMap.get(id);
  }

  /** Every job in the queue as it stands now, oldest first. */
  jobs(): JobInfo[] {
    this.settle();
    const now = this.clock.now();
    return [...this.jobRecords.values()].map((record) => jobAt(record, now));
  }

  job(id: string): JobInfo | undefined {
    this.settle();
    const record = this.jobRecords.get(id);
    return record === undefined ? undefined : jobAt(record, this.clock.now());
  }

  /** Validates a `POST .../Volumes` body and queues the job that will create the volume. */
  createVolume(body: unknown): JobInfo {
    this.settle();
    const request = parseVolumeRequest(body, { drives: this.drives, busyDriveIds: this.busyDriveIds() });
    const index = this.nextVolumeIndex();
    const volume: VolumeInfo = {
      id: volumeId(index),
      name: request.name ?? `Virtual Disk ${index}`,
      raidType: request.raidType,
      capacityBytes: request.capacityBytes,
      driveIds: request.driveIds,
    };
    return this.queueJob({ kind: 'createVolume', volume });
  }

  /** Queues the job that will delete a volume; 404 when it does not exist, 400 when already being deleted. */
  deleteVolume(id: string): JobInfo {
    this.settle();
    if (!this.volumeMap.has(id)) {
      throw new RedfishHttpError(404, [messages.resourceMissingAtUri(volumeUri(id))]);
    }
    const deleting = [...this.unappliedJobs].some((jobId) => {
      const operation = this.jobRecords.get(jobId)?.operation;
      return operation?.kind === 'deleteVolume' && operation.volumeId === id;
    });
    if (deleting) {
      throw new RedfishHttpError(400, [messages.resourceInUse(volumeUri(id))]);
    }
    return this.queueJob({ kind: 'deleteVolume', volumeId: id });
  }

  /**
   * Applies a `ComputerSystem.Reset`. Like an iDRAC, asking for the state the system is already in
   * is a 409 ("Server is already powered ON/OFF"); a restart emits `'Off'` then `'On'`.
   */
  reset(resetType: ResetType): void {
    const isOn = this.power === 'On';
    switch (resetType) {
      case 'On':
        if (isOn) throw new RedfishHttpError(409, [messages.alreadyPoweredOn()]);
        this.setPower('On', resetType);
        return;
      case 'ForceOff':
      case 'GracefulShutdown':
        if (!isOn) throw new RedfishHttpError(409, [messages.alreadyPoweredOff()]);
        this.setPower('Off', resetType);
        return;
      case 'ForceRestart':
      case 'GracefulRestart':
      case 'PowerCycle':
        if (!isOn) throw new RedfishHttpError(409, [messages.alreadyPoweredOff()]);
        this.setPower('Off', resetType);
        this.setPower('On', resetType);
        return;
      case 'PushPowerButton':
        this.setPower(isOn ? 'Off' : 'On', resetType);
        return;
      case 'Nmi':
        return;
    }
  }

  private setPower(state: PowerState, resetType: ResetType): void {
    this.power = state;
    this.events.emit('power', state, resetType);
  }

  private queueJob(operation: JobRecord['operation']): JobInfo {
    const id = this.newJobId();
    const record: JobRecord = {
      id,
      name: `Configure: ${CONTROLLER_ID}`,
      operation,
      createdAt: this.clock.now(),
      durationMs: this.behaviour.jobDurationMs,
      failMessage: this.behaviour.failJobs === false ? null : this.behaviour.failJobs,
      failedState: this.behaviour.failedJobState,
    };
    this.jobRecords.set(id, record);
    this.unappliedJobs.add(id);
    this.settle();
    return jobAt(record, this.clock.now());
  }

  private newJobId(): string {
    for (;;) {
      const id = `JID_${randomInt(100_000_000_000, 1_000_000_000_000)}`;
      if (!this.jobRecords.has(id)) return id;
    }
  }

  /** Lowest virtual-disk number neither in use nor promised to a pending create job. */
  private nextVolumeIndex(): number {
    const taken = new Set(this.volumeMap.keys());
    for (const volume of this.pendingCreates()) taken.add(volume.id);
    let index = 0;
    while (taken.has(volumeId(index))) index += 1;
    return index;
  }

  private busyDriveIds(): Set<string> {
    const busy = new Set<string>();
    for (const volume of [...this.volumeMap.values(), ...this.pendingCreates()]) {
      for (const id of volume.driveIds) busy.add(id);
    }
    return busy;
  }

  private pendingCreates(): VolumeInfo[] {
    const pending: VolumeInfo[] = [];
    for (const jobId of this.unappliedJobs) {
      const record = this.jobRecords.get(jobId);
      if (record?.operation.kind === 'createVolume') {
        pending.push(record.operation.volume);
      }
    }
    return pending;
  }

  /** Applies the effect of every job that has ended by now, in the order they ended. */
  private settle(): void {
    if (this.unappliedJobs.size === 0) return;
    const now = this.clock.now();
    const ended = [...this.unappliedJobs]
      .map((id) => this.jobRecords.get(id))
      .filter((record): record is JobRecord => record !== undefined && jobHasEnded(record, now))
      .sort((a, b) => a.createdAt + a.durationMs - (b.createdAt + b.durationMs));
    for (const record of ended) {
      this.unappliedJobs.delete(record.id);
      if (record.failMessage !== null) continue;
      const operation = record.operation;
      if (operation.kind === 'createVolume') {
        this.volumeMap.set(operation.volume.id, operation.volume);
      } else {
        this.volumeMap.delete(operation.volumeId);
      }
    }
  }
}
