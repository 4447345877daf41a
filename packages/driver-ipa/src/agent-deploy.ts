import {
  type DeployInterface,
  type DriverServices,
  type HeartbeatRequest,
  type NodePeriodicContext,
  nodePeriodic,
  ProvisionState,
  type Task,
} from '@ironic/driver-base';
import type { Clock } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import { AgentClient } from './agent-client.js';
import {
  DEPLOY_STARTED_KEY,
  isoTime,
  lastHeartbeatAt,
  withoutAgent,
  withoutDeployProgress,
} from './agent-info.js';
import { checkDeadRamdisk, NOTHING_DEPLOYED_STATES } from './dead-ramdisks.js';
import type { DeployContext } from './deploy-context.js';
import { continueDeploy } from './deploy-progress.js';
import { checkDeployTimeout } from './deploy-timeouts.js';
import { imageInfoFor } from './image-info.js';
import type { IpaOptions } from './options.js';

/** What the agent deploy interface needs from the conductor. */
export type AgentDeployServices = Pick<DriverServices, 'http' | 'clock' | 'logger'>;

/**
 * Deploys through ironic-python-agent (Ironic's `AgentDeploy`), usable with any power interface:
 * `deploy` boots the node into the ramdisk and waits; the agent's heartbeats drive the image writing;
 * two per-node periodic tasks fail deploys whose agent went silent and retire dead fast-track ramdisks.
 */
export class AgentDeploy implements DeployInterface {
  readonly options: IpaOptions;
  readonly client: AgentClient;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: IpaOptions, services: AgentDeployServices) {
    this.options = options;
    this.#clock = services.clock;
    this.#logger = services.logger;
    this.client = new AgentClient({
      http: services.http,
      maxConcurrentRequests: options.max_concurrent_requests,
      requestTimeoutMs: options.agent_request_timeout * 1000,
    });
  }

  #context(logger: Logger = this.#logger): DeployContext {
    return { client: this.client, options: this.options, clock: this.#clock, logger };
  }

  /**
   * A sweep runs once per interface class but visits the nodes of every driver using it: each node is
   * handled with its own driver's instance (its options, its client).
   */
  #contextFor(task: Task, logger: Logger): DeployContext {
    const own = task.driver.interfaces.deploy;
    return own instanceof AgentDeploy ? own.#context(logger) : this.#context(logger);
  }

  /** Checks `instance_info` (the image to write); throws `InvalidParameterValue` naming the field. */
  validate(task: Task): void {
    imageInfoFor(task.node);
  }

  /**
   * Boots the node into the ramdisk and waits for its agent (`wait call-back`). With fast track and a
   * ramdisk that heartbeated within `agent_heartbeat_timeout` on a powered-on node, no reboot is needed:
   * its next heartbeat starts writing the image.
   */
  async deploy(task: Task): Promise<'wait'> {
    imageInfoFor(task.node);
    const power = task.driver.interfaces.power;
    const reuseRamdisk = this.options.fast_track && (await this.#ramdiskAlive(task));
    const kept = reuseRamdisk
      ? { ...task.node.driver_internal_info }
      : withoutAgent(task.node.driver_internal_info);
    await task.save({
      driver_internal_info: {
        ...withoutDeployProgress(kept),
        [DEPLOY_STARTED_KEY]: isoTime(this.#clock.now()),
      },
    });
    if (reuseRamdisk) {
      task.logger.info('fast track: the running ramdisk will write the image');
    } else {
      await power.reboot(task);
    }
    return 'wait';
  }

  /** Powers the node off and forgets its ramdisk agent (the instance is being removed). */
  async tearDown(task: Task): Promise<void> {
    await task.driver.interfaces.power.setPowerState(task, 'power off');
    await task.upgradeLock();
    await task.save({ driver_internal_info: withoutAgent(task.node.driver_internal_info) });
  }

  /**
   * A verified heartbeat: records `agent_url`, `agent_version` and `agent_last_heartbeat`, then, for a
   * node in `wait call-back` (not in maintenance), moves its deploy forward. Elsewhere (fast track in
   * enroll, manageable, available) recording is all there is to do.
   */
  async heartbeat(task: Task, request: HeartbeatRequest): Promise<void> {
    await task.upgradeLock();
    await task.save({
      driver_internal_info: {
        ...task.node.driver_internal_info,
        agent_url: request.callback_url,
        agent_version: request.agent_version,
        agent_last_heartbeat: isoTime(this.#clock.now()),
      },
    });
    if (task.node.maintenance || task.node.provision_state !== ProvisionState.DEPLOYWAIT) return;
    await continueDeploy(task, this.#context(task.logger));
  }

  /** Nodes in `wait call-back` whose agent went silent for `deploy_callback_timeout`: deploy failed. */
  @nodePeriodic<AgentDeploy>({
    // Named explicitly: bundlers may rename a decorated class, and these names are what operators see.
    name: 'AgentDeploy.checkDeployTimeouts',
    spacing: (self) => self.options.check_provision_state_interval * 1000,
    filters: { provision_state: ProvisionState.DEPLOYWAIT, reserved: false, maintenance: false },
    concurrency: (self) => self.options.max_concurrent_requests,
  })
  async checkDeployTimeouts(task: Task, context: NodePeriodicContext): Promise<boolean> {
    return checkDeployTimeout(task, this.#contextFor(task, context.logger));
  }

  /**
   * Nodes with nothing deployed that keep a ramdisk running, whose last heartbeat is older than
   * `agent_heartbeat_timeout`: a dead ramdisk is forgotten and the node powered off.
   */
  @nodePeriodic<AgentDeploy>({
    name: 'AgentDeploy.checkDeadRamdisks',
    spacing: (self) => self.options.dead_ramdisk_check_interval * 1000,
    filters: { provision_state: NOTHING_DEPLOYED_STATES, reserved: false, maintenance: false },
    predicate: (node) => typeof node.driver_internal_info.agent_url === 'string',
    concurrency: (self) => self.options.max_concurrent_requests,
  })
  async checkDeadRamdisks(task: Task, context: NodePeriodicContext): Promise<boolean> {
    return checkDeadRamdisk(task, this.#contextFor(task, context.logger), context.logger);
  }

  /** Ironic's `is_fast_track`: an agent URL, a recent heartbeat, and the node powered on. */
  async #ramdiskAlive(task: Task): Promise<boolean> {
    const last = lastHeartbeatAt(task.node);
    if (typeof task.node.driver_internal_info.agent_url !== 'string' || last === undefined) return false;
    if (this.#clock.now() - last >= this.options.agent_heartbeat_timeout * 1000) return false;
    return (await task.driver.interfaces.power.getPowerState(task)) === 'power on';
  }
}
