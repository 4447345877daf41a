import {
  type AsyncOutcome,
  continueCleaning,
  failCleaning,
  InvalidParameterValue,
  type JsonObject,
  type JsonValue,
  type Node,
  type NodePeriodicContext,
  nodePeriodic,
  ProvisionState,
  type RaidConfig,
  type RaidInterface,
  type Task,
} from '@ironic/driver-base';
import type { Clock } from '@ironic/periodic-core';
import type { BmcConnector, IdracBmc } from './bmc-connector.js';
import { parseDriverInfo } from './driver-info.js';
import { RedfishAuthError, RedfishError } from './errors.js';
import {
  createVolume,
  deleteVolume,
  type JobStatus,
  listVolumeUris,
  readControllers,
  readJob,
  readVolumes,
} from './idrac-resources.js';
import type { DracOptions } from './options.js';
import { validateRaidConfig } from './raid-config.js';
import { asJson, reportRaidConfig } from './raid-report.js';
import { type PlanOptions, planVolumes } from './volume-plan.js';

/** `driver_internal_info` key of the pending iDRAC job ids (Ironic's name). */
export const RAID_JOB_IDS_KEY = 'raid_config_job_ids';
/** `driver_internal_info` key of what the pending jobs do: `create` or `delete`. */
export const RAID_OPERATION_KEY = 'raid_config_operation';
/** `driver_internal_info` key of the drives given to the root volume, to recognise it when read back. */
export const RAID_ROOT_DISKS_KEY = 'raid_config_root_physical_disks';

/** The name of the per-node periodic task that polls RAID jobs. */
export const RAID_JOB_POLL_TASK = 'DracRAID.checkRaidConfigJobs';

/** What the pending RAID jobs of a node do. */
export type RaidOperation = 'create' | 'delete';

const BOOKKEEPING_KEYS = [RAID_JOB_IDS_KEY, RAID_OPERATION_KEY, RAID_ROOT_DISKS_KEY];
/** Dell job states that end a job without success. */
const FAILED_JOB_STATES = new Set(['Failed', 'CompletedWithErrors']);

/** The pending RAID job ids of a node (an empty list when there are none). */
export function pendingRaidJobIds(node: Readonly<Pick<Node, 'driver_internal_info'>>): string[] {
  const ids = node.driver_internal_info[RAID_JOB_IDS_KEY];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

function hasPendingJobs(node: Readonly<Node>): boolean {
  return pendingRaidJobIds(node).length > 0;
}

function withoutBookkeeping(info: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(info).filter(([key]) => !BOOKKEEPING_KEYS.includes(key)));
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function planOptions(args: JsonObject): PlanOptions {
  const options: PlanOptions = {};
  for (const key of ['create_root_volume', 'create_nonroot_volumes'] as const) {
    const value = args[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') {
      throw new InvalidParameterValue(
        `create_configuration: ${key} must be a boolean, got ${JSON.stringify(value)}`,
      );
    }
    options[key] = value;
  }
  return options;
}

/** The outcome of reading a node's jobs: all done, one failed, or some still running. */
type JobsOutcome = { kind: 'completed' } | { kind: 'failed'; job: JobStatus } | { kind: 'running' };

/**
 * RAID configuration of an iDRAC through Redfish. Creating or deleting volumes starts iDRAC jobs and
 * leaves the node in `clean wait`; the per-node periodic task `checkRaidConfigJobs` polls those jobs
 * and finishes (or fails) the cleaning, so the number of requests to each BMC stays under the
 * driver's bounds instead of one polling loop per node.
 */
export class DracRAID implements RaidInterface {
  readonly cleanSteps = {
    create_configuration: (task: Task, args: JsonObject) => this.createConfiguration(task, planOptions(args)),
    delete_configuration: (task: Task) => this.deleteConfiguration(task),
  };

  constructor(
    readonly options: DracOptions,
    readonly connector: BmcConnector,
    readonly clock: Clock,
  ) {}

  validate(task: Task): void {
    parseDriverInfo(task.node);
  }

  validateRaidConfig(_task: Task, config: RaidConfig): void {
    validateRaidConfig(config);
  }

  /**
   * Creates the volumes of `target_raid_config` (all of them unless the step's arguments skip the root
   * or the other volumes); keeps the job ids in `driver_internal_info.raid_config_job_ids`.
   */
  async createConfiguration(task: Task, options: PlanOptions = {}): Promise<AsyncOutcome> {
    const target = task.node.target_raid_config;
    if (!target || Object.keys(target).length === 0) {
      throw new InvalidParameterValue(`Node ${task.node.uuid} has no target RAID configuration.`);
    }
    const config = validateRaidConfig(target);
    const bmc = this.connector.bmcFor(task.node);
    const plan = planVolumes(config, await readControllers(bmc), options);
    if (plan.length === 0) {
      const skipped = [
        options.create_root_volume === false ? 'skipping root volume' : '',
        options.create_nonroot_volumes === false ? 'skipping non-root volumes' : '',
      ].filter(Boolean);
      throw new InvalidParameterValue(
        `Node ${task.node.uuid} has empty target RAID configuration after ${skipped.join(' and ')}.`,
      );
    }
    const jobIds: string[] = [];
    for (const volume of plan) jobIds.push(await createVolume(bmc.client, volume.volumesUri, volume.payload));
    const root = plan.find((volume) => volume.isRootVolume);
    task.logger.info({ jobIds, volumes: plan.length }, 'RAID volume creation jobs started');
    await this.#savePending(task, jobIds, 'create', root ? [...root.driveIds] : undefined);
    return 'wait';
  }

  /** Deletes every volume of every controller; `done` at once when there is none. */
  async deleteConfiguration(task: Task): Promise<AsyncOutcome> {
    const bmc = this.connector.bmcFor(task.node);
    const volumes = await listVolumeUris(bmc);
    if (volumes.length === 0) {
      await task.save({ raid_config: {} });
      return 'done';
    }
    const jobIds: string[] = [];
    for (const uri of volumes) jobIds.push(await deleteVolume(bmc.client, uri));
    task.logger.info({ jobIds }, 'RAID volume deletion jobs started');
    await this.#savePending(task, jobIds, 'delete', undefined);
    return 'wait';
  }

  /**
   * Every `query_raid_config_job_status_interval` seconds, for each unreserved node out of maintenance
   * with pending RAID jobs: reads the jobs under a shared lock; when they have all completed, reads the
   * volumes back into `raid_config` and resumes cleaning; when one failed, fails cleaning with the
   * BMC's message. A BMC that cannot be reached (or answers 5xx) makes the handler throw: the sweep
   * logs and counts it, and the next period tries again.
   */
  @nodePeriodic<DracRAID>({
    name: RAID_JOB_POLL_TASK,
    spacing: (self) => self.options.query_raid_config_job_status_interval * 1000,
    filters: { reserved: false, maintenance: false },
    predicate: hasPendingJobs,
    // Nodes are polled side by side; the request limiter is what bounds the load on each BMC.
    concurrency: (self) => self.options.max_concurrent_requests,
  })
  async checkRaidConfigJobs(task: Task, context: NodePeriodicContext): Promise<boolean> {
    const jobIds = pendingRaidJobIds(task.node);
    if (jobIds.length === 0) return false;
    if (task.node.provision_state !== ProvisionState.CLEANWAIT) {
      // Cleaning was aborted or the node moved on: nothing waits for these jobs any more.
      await task.upgradeLock();
      await task.save({ driver_internal_info: withoutBookkeeping(task.node.driver_internal_info) });
      context.logger.warn(
        { jobIds, state: task.node.provision_state },
        'dropped RAID jobs of a node no longer in clean wait',
      );
      return true;
    }
    const bmc = this.connector.bmcFor(task.node);
    let outcome: JobsOutcome;
    try {
      outcome = await this.#readJobs(bmc, jobIds, context);
    } catch (error) {
      // The conductor is stopping: not the BMC's failure; the next run (of this or another conductor) polls.
      if (context.signal.aborted) return false;
      if (!(error instanceof RedfishAuthError)) throw error;
      // Retrying with credentials the BMC refuses cannot succeed; the operator must fix driver_info.
      return this.#fail(task, jobIds, `Failed to check RAID configuration jobs: ${error.message}`);
    }
    if (outcome.kind === 'running') return false;
    if (outcome.kind === 'failed') {
      const { job } = outcome;
      context.logger.error({ job: job.id, message: job.message }, 'RAID configuration job failed');
      return this.#fail(task, jobIds, `RAID configuration job ${job.id} failed: ${job.message || job.state}`);
    }
    const operation = task.node.driver_internal_info[RAID_OPERATION_KEY] === 'delete' ? 'delete' : 'create';
    const rootDisks = task.node.driver_internal_info[RAID_ROOT_DISKS_KEY];
    const report =
      operation === 'create'
        ? reportRaidConfig(
            await readVolumes(bmc),
            Array.isArray(rootDisks)
              ? rootDisks.filter((d): d is string => typeof d === 'string')
              : undefined,
            new Date(this.clock.now()),
          )
        : undefined;
    await task.upgradeLock();
    if (!this.#stillWaitingOn(task, jobIds)) return false;
    const root = report?.logical_disks.find((disk) => disk.is_root_volume);
    await task.save({
      raid_config: report ? asJson(report) : {},
      ...(root ? { properties: { ...task.node.properties, local_gb: root.size_gb } } : {}),
      driver_internal_info: withoutBookkeeping(task.node.driver_internal_info),
    });
    context.logger.info({ jobIds, operation }, 'RAID configuration jobs completed');
    await continueCleaning(task);
    return true;
  }

  async #readJobs(
    bmc: IdracBmc,
    jobIds: readonly string[],
    context: NodePeriodicContext,
  ): Promise<JobsOutcome> {
    let running = false;
    for (const id of jobIds) {
      let job: JobStatus;
      try {
        job = await readJob(bmc.client, id, { signal: context.signal });
      } catch (error) {
        // As in Ironic, a job the iDRAC no longer knows has finished (its queue was cleared).
        if (error instanceof RedfishError && error.status === 404) {
          context.logger.info({ job: id }, 'RAID job not found on the BMC; counting it as finished');
          continue;
        }
        throw error;
      }
      if (FAILED_JOB_STATES.has(job.state)) return { kind: 'failed', job };
      if (job.state !== 'Completed') running = true;
    }
    return running ? { kind: 'running' } : { kind: 'completed' };
  }

  async #fail(task: Task, jobIds: readonly string[], message: string): Promise<boolean> {
    await task.upgradeLock();
    if (!this.#stillWaitingOn(task, jobIds)) return false;
    await task.save({ driver_internal_info: withoutBookkeeping(task.node.driver_internal_info) });
    await failCleaning(task, message);
    return true;
  }

  /** After the lock upgrade re-read the node: act only if it still waits on the same jobs. */
  #stillWaitingOn(task: Task, jobIds: readonly string[]): boolean {
    return (
      task.node.provision_state === ProvisionState.CLEANWAIT && sameIds(pendingRaidJobIds(task.node), jobIds)
    );
  }

  async #savePending(
    task: Task,
    jobIds: string[],
    operation: RaidOperation,
    rootDisks: string[] | undefined,
  ): Promise<void> {
    const info: JsonObject = {
      ...withoutBookkeeping(task.node.driver_internal_info),
      [RAID_JOB_IDS_KEY]: jobIds,
      [RAID_OPERATION_KEY]: operation,
    };
    if (rootDisks) info[RAID_ROOT_DISKS_KEY] = rootDisks as JsonValue;
    await task.save({ driver_internal_info: info });
  }
}
