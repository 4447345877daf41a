import { type JsonObject, ProvisionState, type Task } from '@ironic/driver-base';
import { commandErrorMessage } from './agent-client.js';
import { isoTime, PREPARE_IMAGE_KEY, withoutAgent } from './agent-info.js';
import type { DeployContext } from './deploy-context.js';
import { AgentBusy, AgentCommandFailed, AgentError, AgentUnreachable } from './errors.js';
import { imageInfoFor } from './image-info.js';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Ends a deploy in `deploy failed`, as Ironic's `set_failed_state` does: the node is powered off (a
 * failure to do so is logged, never hides the first error), the ramdisk agent is forgotten, and
 * `last_error` says why. The task must hold the exclusive lock.
 */
export async function failDeploy(task: Task, context: DeployContext, message: string): Promise<void> {
  context.logger.error({ node: task.node.uuid, reason: message }, 'deploy failed');
  try {
    await task.driver.interfaces.power.setPowerState(task, 'power off');
  } catch (error) {
    context.logger.warn(
      { node: task.node.uuid, err: error },
      'could not power the node off after a failed deploy',
    );
  }
  await task.processEvent('fail', {
    lastError: message,
    changes: { driver_internal_info: withoutAgent(task.node.driver_internal_info) },
  });
}

/**
 * One heartbeat's worth of deploy work on a node in `wait call-back` (exclusively locked): send
 * `standby.prepare_image` if it was not sent to this ramdisk yet, else look at its result — still
 * running: nothing to do; failed: the deploy fails with the agent's message; done: finish the deploy.
 */
export async function continueDeploy(task: Task, context: DeployContext): Promise<void> {
  if (typeof task.node.driver_internal_info[PREPARE_IMAGE_KEY] !== 'string') {
    await startPrepareImage(task, context);
    return;
  }
  let command: Awaited<ReturnType<DeployContext['client']['getLastCommandStatus']>>;
  try {
    command = await context.client.getLastCommandStatus(task.node, 'standby.prepare_image');
  } catch (error) {
    // The next heartbeat tries again; a ramdisk that never answers is the deploy timeout's business.
    context.logger.warn({ node: task.node.uuid, err: error }, 'could not read the agent commands');
    return;
  }
  // A ramdisk that rebooted has no record of the command: send it to the new one.
  if (command === undefined) {
    await startPrepareImage(task, context);
    return;
  }
  if (command.command_status === 'RUNNING') return;
  if (command.command_status === 'FAILED') {
    await failDeploy(
      task,
      context,
      `node ${task.node.uuid} command status errored: ${commandErrorMessage(command)}`,
    );
    return;
  }
  await finishDeploy(task, context);
}

async function startPrepareImage(task: Task, context: DeployContext): Promise<void> {
  const node = task.node;
  let imageInfo: JsonObject;
  try {
    imageInfo = { ...imageInfoFor(node) } as JsonObject;
  } catch (error) {
    await failDeploy(task, context, `Deploy failed. Reason: ${messageOf(error)}`);
    return;
  }
  const params: JsonObject = { image_info: imageInfo };
  const configdrive = node.instance_info.configdrive;
  if (typeof configdrive === 'string') params.configdrive = configdrive;
  try {
    const result = await context.client.executeCommand(node, 'standby.prepare_image', params, {
      wait: false,
    });
    if (result.command_status === 'FAILED') {
      await failDeploy(
        task,
        context,
        `node ${node.uuid} command status errored: ${commandErrorMessage(result)}`,
      );
      return;
    }
  } catch (error) {
    if (error instanceof AgentBusy || error instanceof AgentUnreachable) {
      context.logger.warn({ node: node.uuid, err: error }, 'could not start prepare_image; retrying later');
      return;
    }
    if (error instanceof AgentError) {
      await failDeploy(
        task,
        context,
        `Failed to start writing the image to node ${node.uuid}: ${error.faultstring}`,
      );
      return;
    }
    throw error;
  }
  await task.save({
    driver_internal_info: {
      ...task.node.driver_internal_info,
      [PREPARE_IMAGE_KEY]: isoTime(context.clock.now()),
    },
  });
  context.logger.info({ node: node.uuid, image: imageInfo.id }, 'the agent is writing the image');
}

/**
 * The image is on disk: back to `deploying`, flush the disks (`standby.sync`), power off, forget the
 * ramdisk (it is gone), power on into the instance, and `active`.
 */
async function finishDeploy(task: Task, context: DeployContext): Promise<void> {
  const node = task.node;
  await task.processEvent('resume');
  try {
    const sync = await context.client.executeCommand(node, 'standby.sync', {}, { wait: true });
    if (sync.command_status === 'FAILED') {
      throw new AgentCommandFailed(node.uuid, 'standby.sync', commandErrorMessage(sync));
    }
  } catch (error) {
    // As Ironic: a failed flush is worth a warning, not a failed deploy; the image is already written.
    context.logger.warn(
      { node: node.uuid, err: error },
      'failed to flush the file system prior to powering the node off',
    );
  }
  try {
    const power = task.driver.interfaces.power;
    await power.setPowerState(task, 'power off');
    await task.save({ driver_internal_info: withoutAgent(task.node.driver_internal_info) });
    await power.setPowerState(task, 'power on');
  } catch (error) {
    await failDeploy(
      task,
      context,
      `Error rebooting node ${node.uuid} after deploy. Error: ${messageOf(error)}`,
    );
    return;
  }
  if (task.node.provision_state !== ProvisionState.DEPLOYING) return;
  await task.processEvent('done', { lastError: null });
  context.logger.info({ node: node.uuid }, 'deployment to the node is done');
}
