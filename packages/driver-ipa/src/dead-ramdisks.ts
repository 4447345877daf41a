import { ProvisionState, type Task } from '@ironic/driver-base';
import type { Logger } from 'pino';
import { isoTime, lastHeartbeatAt, withoutAgent } from './agent-info.js';
import type { DeployContext } from './deploy-context.js';
import { AgentUnreachable } from './errors.js';

/** States with nothing deployed, where a fast-track ramdisk may keep running. */
export const NOTHING_DEPLOYED_STATES: readonly ProvisionState[] = [
  ProvisionState.ENROLL,
  ProvisionState.MANAGEABLE,
  ProvisionState.AVAILABLE,
];

/** Whether the node has a recorded agent whose last heartbeat is older than `agent_heartbeat_timeout`. */
export function heartbeatStale(task: Task, context: DeployContext): boolean {
  if (typeof task.node.driver_internal_info.agent_url !== 'string') return false;
  const last = lastHeartbeatAt(task.node);
  return last === undefined || context.clock.now() - last >= context.options.agent_heartbeat_timeout * 1000;
}

/**
 * The spec's use case for one node with nothing deployed: its ramdisk stopped heartbeating, so ask the
 * agent for `GET /v1/status`. An answer (any answer) means it lives: keep it. No answer means the
 * ramdisk is dead: forget its URL and token, power the node off, and log it. Returns false when the
 * node was left as it was.
 */
export async function checkDeadRamdisk(task: Task, context: DeployContext, logger: Logger): Promise<boolean> {
  if (!heartbeatStale(task, context)) return false;
  const agentUrl = task.node.driver_internal_info.agent_url as string;
  try {
    await context.client.getStatus(agentUrl, context.options.agent_status_timeout * 1000);
    logger.info({ agent_url: agentUrl }, 'the agent stopped heartbeating but still answers; keeping it');
    return false;
  } catch (error) {
    if (!(error instanceof AgentUnreachable)) {
      logger.info(
        { agent_url: agentUrl, err: error },
        'the agent stopped heartbeating but still answers; keeping it',
      );
      return false;
    }
  }
  await task.upgradeLock();
  const node = task.node;
  // Re-read under the lock: the node may have moved on, or a new ramdisk may have checked in.
  if (
    !NOTHING_DEPLOYED_STATES.includes(node.provision_state) ||
    node.driver_internal_info.agent_url !== agentUrl ||
    !heartbeatStale(task, context)
  ) {
    return false;
  }
  const lastHeartbeat = lastHeartbeatAt(node);
  await task.save({ driver_internal_info: withoutAgent(node.driver_internal_info) });
  try {
    await task.driver.interfaces.power.setPowerState(task, 'power off');
  } catch (error) {
    logger.error({ err: error }, 'could not power off the node of a dead ramdisk');
  }
  logger.warn(
    {
      agent_url: agentUrl,
      agent_last_heartbeat: lastHeartbeat === undefined ? null : isoTime(lastHeartbeat),
    },
    `The ramdisk of node ${node.uuid} stopped heartbeating and does not answer at ${agentUrl}; ` +
      'it is considered dead, its agent token was revoked and the node powered off',
  );
  return true;
}
