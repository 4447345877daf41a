import { errorMessage, runCleanSteps, startCleaning, validateCleanSteps } from './cleaning.js';
import type { RaidConfig } from './driver.js';
import { IllegalTransition, InvalidParameterValue, UnsupportedDriverExtension } from './errors.js';
import type { CleanStep, JsonObject } from './node.js';
import { nextProvisionState, type ProvisionEvent, ProvisionState } from './provision-states.js';
import type { Task } from './task.js';

/** The targets of `PUT /v1/nodes/{id}/states/provision`, as Ironic's API names them. */
export const PROVISION_TARGETS = [
  'manage',
  'inspect',
  'clean',
  'provide',
  'active',
  'deploy',
  'rebuild',
  'deleted',
  'undeploy',
  'abort',
] as const;
/** A provision target. */
export type ProvisionTarget = (typeof PROVISION_TARGETS)[number];

/** The body of a provision state request. */
export interface ProvisionRequest {
  target: string;
  clean_steps?: unknown;
  target_raid_config?: unknown;
}

/** The long part of an action, run after the node shows its transitional state. */
export type Continuation = () => Promise<void>;

const S = ProvisionState;
const nothingMore: Continuation = async () => {};

function eventFor(target: ProvisionTarget, state: ProvisionState): ProvisionEvent {
  switch (target) {
    case 'active':
    case 'deploy':
      return state === S.ACTIVE || state === S.ERROR ? 'rebuild' : 'deploy';
    case 'deleted':
    case 'undeploy':
      return 'delete';
    default:
      return target;
  }
}

/**
 * Starts a provision action on an exclusively locked node, as Ironic's conductor does: checks that the
 * target is legal in the node's state and that the driver can do it, moves the node into the
 * transitional state (so a client polling right after sees it), and returns the rest of the work.
 * Errors thrown here (`IllegalTransition`, `InvalidParameterValue`, `UnsupportedDriverExtension`) change
 * nothing; errors in the continuation end in the matching failure state with `last_error` set.
 */
export async function startProvisionAction(task: Task, request: ProvisionRequest): Promise<Continuation> {
  const target = request.target as ProvisionTarget;
  if (!PROVISION_TARGETS.includes(target)) {
    throw new InvalidParameterValue(
      `Invalid target "${String(request.target)}"; expected one of ${PROVISION_TARGETS.join(', ')}`,
    );
  }
  const node = task.node;
  const event = eventFor(target, node.provision_state);
  if (!nextProvisionState(node.provision_state, event))
    throw new IllegalTransition(node.uuid, node.provision_state, target);
  if (target !== 'clean' && request.clean_steps !== undefined) {
    throw new InvalidParameterValue(`clean_steps is only valid with the "clean" target, not "${target}"`);
  }
  switch (target) {
    case 'manage':
      return manage(task);
    case 'inspect':
      return inspect(task);
    case 'clean':
      return clean(task, request.clean_steps);
    case 'provide':
      await task.processEvent('provide', { lastError: null });
      return () => runCleanSteps(task);
    case 'active':
    case 'deploy':
    case 'rebuild':
      return deploy(task, event);
    case 'deleted':
    case 'undeploy':
      return tearDown(task);
    case 'abort':
      return abort(task);
  }
}

async function manage(task: Task): Promise<Continuation> {
  if (task.node.provision_state !== S.ENROLL) {
    await task.processEvent('manage');
    return nothingMore;
  }
  const power = task.driver.interfaces.power;
  await task.processEvent('manage', { lastError: null });
  return async () => {
    try {
      await power.validate?.(task);
      const powerState = await power.getPowerState(task);
      await task.processEvent('done', { changes: { power_state: powerState } });
    } catch (error) {
      await task.processEvent('fail', {
        lastError: `Failed to get power state for node ${task.node.uuid}. Error: ${errorMessage(error)}`,
      });
    }
  };
}

async function inspect(task: Task): Promise<Continuation> {
  const inspector = task.driver.interfaces.inspect;
  if (!inspector) throw new UnsupportedDriverExtension(task.driver.name, 'inspection (no inspect interface)');
  await inspector.validate?.(task);
  await task.processEvent('inspect', { lastError: null });
  return async () => {
    try {
      const outcome = await inspector.inspectHardware(task);
      if (task.node.provision_state !== S.INSPECTING) return;
      await task.processEvent(outcome === 'wait' ? 'wait' : 'done');
    } catch (error) {
      if (task.node.provision_state !== S.INSPECTING) return;
      await task.processEvent('fail', {
        lastError: `Failed to inspect hardware. Reason: ${errorMessage(error)}`,
      });
    }
  };
}

async function clean(task: Task, rawSteps: unknown): Promise<Continuation> {
  const steps: CleanStep[] = validateCleanSteps(task, rawSteps);
  await task.processEvent('clean', { targetState: S.MANAGEABLE, lastError: null });
  return () => startCleaning(task, steps);
}

async function deploy(task: Task, event: ProvisionEvent): Promise<Continuation> {
  const deployer = task.driver.interfaces.deploy;
  if (!deployer) throw new UnsupportedDriverExtension(task.driver.name, 'deployment (no deploy interface)');
  await deployer.validate?.(task);
  await task.processEvent(event, { lastError: null });
  return async () => {
    try {
      const outcome = await deployer.deploy(task);
      if (task.node.provision_state !== S.DEPLOYING) return;
      await task.processEvent(outcome === 'wait' ? 'wait' : 'done');
    } catch (error) {
      if (task.node.provision_state !== S.DEPLOYING) return;
      await task.processEvent('fail', { lastError: `Deploy failed. Reason: ${errorMessage(error)}` });
    }
  };
}

async function tearDown(task: Task): Promise<Continuation> {
  await task.processEvent('delete', { lastError: null });
  return async () => {
    try {
      await task.driver.interfaces.deploy?.tearDown(task);
      await task.processEvent('clean', { changes: { instance_info: {}, instance_uuid: null } });
    } catch (error) {
      await task.processEvent('fail', { lastError: `Tear down failed. Reason: ${errorMessage(error)}` });
      return;
    }
    await runCleanSteps(task);
  };
}

async function abort(task: Task): Promise<Continuation> {
  const state = task.node.provision_state;
  if (state === S.INSPECTWAIT) {
    await task.driver.interfaces.inspect?.abort?.(task);
    await task.processEvent('abort', { lastError: 'Inspection was aborted by request.' });
  } else {
    const step = task.node.clean_step as JsonObject;
    const where =
      typeof step.step === 'string' ? ` during or after the completion of step "${step.step}"` : '';
    await task.processEvent('abort', {
      lastError: `Clean operation aborted for node ${task.node.uuid}; aborted${where}.`,
      changes: { clean_step: {} },
    });
  }
  return nothingMore;
}

/** Checks a `target_raid_config` with the driver's RAID interface (`PUT .../states/raid`). */
export async function validateTargetRaidConfig(task: Task, config: unknown): Promise<RaidConfig> {
  const raid = task.driver.interfaces.raid;
  if (!raid) throw new UnsupportedDriverExtension(task.driver.name, 'RAID configuration (no raid interface)');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InvalidParameterValue('target_raid_config must be an object with "logical_disks"');
  }
  await raid.validateRaidConfig(task, config as RaidConfig);
  return config as RaidConfig;
}
