import { errorMessage, startAutomatedCleaning, startCleaning, validateCleanSteps } from './cleaning.js';
import type { RaidConfig } from './driver.js';
import {
  IllegalTransition,
  InvalidParameterValue,
  NodeInMaintenance,
  NodeProtected,
  UnsupportedDriverExtension,
} from './errors.js';
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
  'adopt',
  'rescue',
  'unrescue',
] as const;
/** A provision target. */
export type ProvisionTarget = (typeof PROVISION_TARGETS)[number];

/** The body of a provision state request. */
export interface ProvisionRequest {
  target: string;
  clean_steps?: unknown;
  target_raid_config?: unknown;
  /** Only with `rescue`: the password of the rescue ramdisk's user (kept in `instance_info`). */
  rescue_password?: string;
  /** Only with `active` / `rebuild`: a config drive (a URL, base64 text or an object to build one from). */
  configdrive?: unknown;
}

/** The long part of an action, run after the node shows its transitional state. */
export type Continuation = () => Promise<void>;

const S = ProvisionState;
const nothingMore: Continuation = async () => {};

/** The state machine event a target stands for in a given state (Ironic's `VERBS`). */
export function eventForTarget(target: ProvisionTarget, state: ProvisionState): ProvisionEvent {
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
 * Errors thrown here (`IllegalTransition`, `InvalidParameterValue`, `UnsupportedDriverExtension`,
 * `NodeProtected`, `NodeInMaintenance`) change nothing; errors in the continuation end in the matching
 * failure state with `last_error` set.
 */
export async function startProvisionAction(task: Task, request: ProvisionRequest): Promise<Continuation> {
  const target = request.target as ProvisionTarget;
  const node = task.node;
  // An unknown target is, as in Ironic, an action the node cannot take in its state.
  if (!PROVISION_TARGETS.includes(target)) {
    throw new IllegalTransition(node.uuid, node.provision_state, String(request.target));
  }
  const event = eventForTarget(target, node.provision_state);
  if (!nextProvisionState(node.provision_state, event))
    throw new IllegalTransition(node.uuid, node.provision_state, target);
  if (target !== 'clean' && request.clean_steps !== undefined) {
    throw new InvalidParameterValue(
      '"clean_steps" is only valid when setting target provision state to clean',
    );
  }
  if (target !== 'rescue' && request.rescue_password !== undefined) {
    throw new InvalidParameterValue(
      '"rescue_password" is only valid when setting target provision state to rescue',
    );
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
      return () => startAutomatedCleaning(task);
    case 'active':
    case 'deploy':
    case 'rebuild':
      return deploy(task, event, request.configdrive);
    case 'deleted':
    case 'undeploy':
      return tearDown(task);
    case 'abort':
      return abort(task);
    case 'adopt':
      return adopt(task);
    case 'rescue':
      return rescue(task, request.rescue_password);
    case 'unrescue':
      return unrescue(task);
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
      await task.driver.interfaces.management?.validate?.(task);
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
  if (!inspector) throw new UnsupportedDriverExtension(task.driver.name, 'inspect');
  await task.driver.interfaces.power.validate?.(task);
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

async function deploy(task: Task, event: ProvisionEvent, configdrive: unknown): Promise<Continuation> {
  const node = task.node;
  if (node.maintenance) throw new NodeInMaintenance(node.uuid, 'provisioning');
  if (event === 'rebuild' && node.protected) throw new NodeProtected(node.uuid);
  const deployer = task.driver.interfaces.deploy;
  if (!deployer) throw new UnsupportedDriverExtension(task.driver.name, 'deploy');
  await task.driver.interfaces.power.validate?.(task);
  await task.driver.interfaces.boot?.validate?.(task);
  await deployer.validate?.(task);
  const changes =
    configdrive === undefined || configdrive === null
      ? {}
      : { instance_info: { ...node.instance_info, configdrive: configdrive as JsonObject } };
  await task.processEvent(event, { lastError: null, changes });
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

const RESCUE_STATES: ReadonlySet<ProvisionState> = new Set([
  S.RESCUE,
  S.RESCUEWAIT,
  S.RESCUEFAIL,
  S.UNRESCUEFAIL,
]);

async function tearDown(task: Task): Promise<Continuation> {
  if (task.node.protected) throw new NodeProtected(task.node.uuid);
  const from = task.node.provision_state;
  await task.processEvent('delete', { lastError: null });
  return async () => {
    try {
      if (RESCUE_STATES.has(from)) await task.driver.interfaces.rescue?.cleanUp?.(task);
      if (task.node.console_enabled) {
        await task.driver.interfaces.console?.stopConsole(task);
        await task.save({ console_enabled: false });
      }
      await task.driver.interfaces.deploy?.tearDown(task);
    } catch (error) {
      await task.processEvent('fail', {
        lastError: `Failed to tear down. Error: ${errorMessage(error)}`,
        changes: { instance_info: {}, instance_uuid: null },
      });
      return;
    }
    await task.processEvent('clean', { changes: { instance_info: {}, instance_uuid: null } });
    await startAutomatedCleaning(task);
  };
}

async function adopt(task: Task): Promise<Continuation> {
  const deployer = task.driver.interfaces.deploy;
  if (!deployer) throw new UnsupportedDriverExtension(task.driver.name, 'deploy');
  await task.processEvent('adopt', { lastError: null });
  return async () => {
    try {
      await task.driver.interfaces.power.validate?.(task);
      await task.driver.interfaces.boot?.validate?.(task);
      await deployer.validate?.(task);
      await deployer.takeOver?.(task);
      await task.processEvent('done');
    } catch (error) {
      await task.processEvent('fail', {
        lastError: `Error while attempting to adopt node ${task.node.uuid}: ${errorMessage(error)}.`,
      });
    }
  };
}

async function rescue(task: Task, password: string | undefined): Promise<Continuation> {
  if (typeof password !== 'string' || password.trim() === '') {
    throw new InvalidParameterValue(
      'A non-empty "rescue_password" is required when setting target provision state to rescue',
    );
  }
  const rescuer = task.driver.interfaces.rescue;
  if (!rescuer) throw new UnsupportedDriverExtension(task.driver.name, 'rescue');
  await task.driver.interfaces.power.validate?.(task);
  await rescuer.validate?.(task);
  await task.processEvent('rescue', {
    lastError: null,
    changes: { instance_info: { ...task.node.instance_info, rescue_password: password } },
  });
  return async () => {
    try {
      const outcome = await rescuer.rescue(task);
      if (task.node.provision_state !== S.RESCUING) return;
      await task.processEvent(outcome === 'wait' ? 'wait' : 'done');
    } catch (error) {
      if (task.node.provision_state !== S.RESCUING) return;
      await task.processEvent('fail', {
        lastError: `Failed to rescue instance for node ${task.node.uuid}: ${errorMessage(error)}`,
      });
    }
  };
}

async function unrescue(task: Task): Promise<Continuation> {
  const rescuer = task.driver.interfaces.rescue;
  if (!rescuer) throw new UnsupportedDriverExtension(task.driver.name, 'rescue');
  await task.driver.interfaces.power.validate?.(task);
  await rescuer.validate?.(task);
  await task.processEvent('unrescue', { lastError: null });
  return async () => {
    try {
      await rescuer.unrescue(task);
      const { rescue_password: _password, ...instanceInfo } = task.node.instance_info;
      await task.processEvent('done', { changes: { instance_info: instanceInfo } });
    } catch (error) {
      await task.processEvent('fail', {
        lastError: `Failed to unrescue instance for node ${task.node.uuid}: ${errorMessage(error)}`,
      });
    }
  };
}

async function abort(task: Task): Promise<Continuation> {
  const state = task.node.provision_state;
  if (state === S.INSPECTWAIT) {
    await task.driver.interfaces.inspect?.abort?.(task);
    await task.processEvent('abort', { lastError: 'Inspection was aborted by request.' });
  } else if (state === S.RESCUEWAIT) {
    await task.driver.interfaces.rescue?.cleanUp?.(task);
    await task.processEvent('abort', { lastError: `Rescue operation aborted for node ${task.node.uuid}.` });
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
  if (!raid) throw new UnsupportedDriverExtension(task.driver.name, 'raid');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InvalidParameterValue('target_raid_config must be an object with "logical_disks"');
  }
  await raid.validateRaidConfig(task, config as RaidConfig);
  return config as RaidConfig;
}
