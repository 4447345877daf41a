import { ProvisionState, type Task } from '@ironic/driver-base';
import { lastDeployActivityAt } from './agent-info.js';
import type { DeployContext } from './deploy-context.js';
import { failDeploy } from './deploy-progress.js';

/** Whether a node waiting for its agent has shown no progress for `deploy_callback_timeout`. */
export function deployTimedOut(task: Task, context: DeployContext): boolean {
  const timeoutMs = context.options.deploy_callback_timeout * 1000;
  if (timeoutMs === 0) return false;
  const last = lastDeployActivityAt(task.node);
  return last === undefined || context.clock.now() - last >= timeoutMs;
}

/**
 * Ironic's `_check_deploy_timeouts` for one node in `wait call-back`: no heartbeat (nor deploy start)
 * for `deploy_callback_timeout` → powered off, `deploy failed`. Returns false when nothing was done.
 */
export async function checkDeployTimeout(task: Task, context: DeployContext): Promise<boolean> {
  if (!deployTimedOut(task, context)) return false;
  await task.upgradeLock();
  // The node was re-read under the lock: a heartbeat may have arrived in the meantime.
  if (task.node.provision_state !== ProvisionState.DEPLOYWAIT || !deployTimedOut(task, context)) return false;
  await failDeploy(task, context, `Timeout reached while waiting for callback for node ${task.node.uuid}`);
  return true;
}
