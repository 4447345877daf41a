import {
  CLEANING_INTERFACE_PRIORITY,
  eventForTarget,
  IllegalTransition,
  type JsonObject,
  NodeInMaintenance,
  NodeLocked,
  nextProvisionState,
  type PowerTarget,
  PROVISION_TARGETS,
  ProvisionState,
  type ProvisionTarget,
  startProvisionAction,
  UnsupportedDriverExtension,
  validateTargetRaidConfig,
} from '@ironic/driver-base';
import type { FastifyRequest } from 'fastify';
import { errorMessage } from '../../error-message.js';
import { type ApiPlugin, baseUrl } from '../api-dependencies.js';
import {
  argumentsOf,
  booleanArgument,
  integerArgument,
  requiredArgument,
  stringArgument,
} from '../arguments.js';
import { checkConfigDrive } from '../config-drive.js';
import { ApiError, notAcceptable } from '../ironic-errors.js';
import { MINOR, requireMinor } from '../microversion.js';
import { acceptAndContinue, startUnderLock, withNode } from '../node-actions.js';
import { type IdentParams, nodeIdent } from '../node-ident.js';
import { nodeStatesView } from '../node-view.js';
import { pythonRepr } from '../python-repr.js';
import { resource } from '../routing.js';

/** The minor version that introduced each provision verb (Ironic's `MIN_VERB_VERSIONS`). */
const VERB_VERSIONS: Readonly<Partial<Record<string, number>>> = {
  manage: MINOR.MANAGEABLE_STATE,
  provide: MINOR.MANAGEABLE_STATE,
  inspect: MINOR.INSPECT_STATE,
  abort: MINOR.ABORT_VERB,
  clean: MINOR.MANUAL_CLEAN,
  adopt: MINOR.ADOPT_VERB,
  rescue: MINOR.RESCUE_INTERFACE,
  unrescue: MINOR.RESCUE_INTERFACE,
  deploy: MINOR.DEPLOY_UNDEPLOY_VERBS,
  undeploy: MINOR.DEPLOY_UNDEPLOY_VERBS,
};

const POWER_TARGETS: readonly PowerTarget[] = [
  'power on',
  'power off',
  'rebooting',
  'soft rebooting',
  'soft power off',
];
const DEFAULT_POWER_TARGETS: readonly PowerTarget[] = ['power on', 'power off', 'rebooting'];

/** Ironic's clean step schema: `{interface, step, args?}`, `interface` one that may clean. */
function checkCleanSteps(steps: unknown): void {
  const fail = (message: string): never => {
    throw new ApiError('invalid-request', `Invalid clean_steps: ${message}`);
  };
  if (!Array.isArray(steps)) fail(`${pythonRepr(steps)} is not of type 'array'`);
  for (const step of steps as unknown[]) {
    if (typeof step !== 'object' || step === null || Array.isArray(step)) {
      fail(`${pythonRepr(step)} is not of type 'object'`);
    }
    const fields = step as Record<string, unknown>;
    const extra = Object.keys(fields).filter((key) => !['interface', 'step', 'args'].includes(key));
    if (extra.length > 0)
      fail(`Additional properties are not allowed ('${extra.join("', '")}' was unexpected)`);
    for (const required of ['interface', 'step']) {
      if (!(required in fields)) fail(`'${required}' is a required property`);
    }
    const interfaces = Object.keys(CLEANING_INTERFACE_PRIORITY);
    if (!interfaces.includes(fields.interface as string)) {
      fail(
        `${pythonRepr(fields.interface)} is not one of [${interfaces.map((name) => `'${name}'`).join(', ')}]`,
      );
    }
    if (typeof fields.step !== 'string' || fields.step.length === 0) {
      fail(`${pythonRepr(fields.step)} is not a non-empty string`);
    }
    if (
      fields.args !== undefined &&
      (typeof fields.args !== 'object' || fields.args === null || Array.isArray(fields.args))
    ) {
      fail(`${pythonRepr(fields.args)} is not of type 'object'`);
    }
  }
}

/** The checks Ironic's API makes on a provision request before the conductor takes the node. */
async function checkProvisionRequest(
  request: FastifyRequest<IdentParams>,
  node: { uuid: string; provision_state: ProvisionState; maintenance: boolean; reservation: string | null },
  args: Record<string, unknown>,
  target: string,
): Promise<void> {
  const minimum = VERB_VERSIONS[target];
  if (minimum !== undefined) requireMinor(request, minimum);
  if ((target === 'active' || target === 'rebuild') && node.maintenance) {
    throw new NodeInMaintenance(node.uuid, 'provisioning');
  }
  const known = (PROVISION_TARGETS as readonly string[]).includes(target);
  const event = known ? eventForTarget(target as ProvisionTarget, node.provision_state) : undefined;
  if (!event || !nextProvisionState(node.provision_state, event)) {
    // A node busy with another operation is 409, as Ironic answers it.
    if (node.reservation) throw new NodeLocked(node.uuid, node.reservation);
    throw new IllegalTransition(node.uuid, node.provision_state, target);
  }
  checkConfigDrive(target, args.configdrive, request.apiMinor);
  if (args.clean_steps !== undefined && args.clean_steps !== null && target !== 'clean') {
    throw new ApiError(
      'invalid-request',
      '"clean_steps" is only valid when setting target provision state to clean',
    );
  }
  if (args.deploy_steps !== undefined && args.deploy_steps !== null) {
    requireMinor(request, 69);
    if (!['active', 'rebuild', 'deploy'].includes(target)) {
      throw new ApiError(
        'invalid-request',
        '"deploy_steps" is only valid when setting target provision state to active or rebuild',
      );
    }
    if (!Array.isArray(args.deploy_steps) || args.deploy_steps.length > 0) {
      throw new ApiError('invalid-request', 'Invalid deploy_steps: this conductor runs no user deploy steps');
    }
  }
  if (args.rescue_password !== undefined && args.rescue_password !== null && target !== 'rescue') {
    throw new ApiError(
      'invalid-request',
      '"rescue_password" is only valid when setting target provision state to rescue',
    );
  }
  if (args.disable_ramdisk !== undefined && args.disable_ramdisk !== null) {
    requireMinor(request, 70);
    if (target !== 'clean') {
      throw new ApiError('invalid-request', '"disable_ramdisk" can be passed only with "clean_steps"');
    }
    booleanArgument(args, 'disable_ramdisk');
  }
  if (node.provision_state === ProvisionState.INSPECTWAIT && target === 'abort') {
    requireMinor(request, MINOR.INSPECTION_ABORT);
  }
  if (target === 'clean') {
    if (!Array.isArray(args.clean_steps) || args.clean_steps.length === 0) {
      throw new ApiError(
        'invalid-request',
        '"clean_steps" is required when setting target provision state to clean',
      );
    }
    checkCleanSteps(args.clean_steps);
  }
  if (target === 'rescue') {
    const password = stringArgument(args, 'rescue_password');
    if (!password?.trim()) {
      throw new ApiError(
        'invalid-request',
        'A non-empty "rescue_password" is required when setting target provision state to rescue',
      );
    }
  }
}

/**
 * `GET /v1/nodes/{id}/states`; `PUT .../states/provision`, `.../states/power`, `.../states/raid`;
 * `GET/PUT .../states/console`.
 */
export const nodeStateRoutes: ApiPlugin = async (app, deps) => {
  resource(app, '/v1/nodes/:ident/states', {
    GET: {
      handler: async (request: FastifyRequest<IdentParams>) =>
        nodeStatesView(await deps.nodes.get(nodeIdent(request)), request.apiMinor),
    },
  });

  resource(app, '/v1/nodes/:ident/states/provision', {
    PUT: {
      args: ['target', 'configdrive', 'clean_steps', 'deploy_steps', 'rescue_password', 'disable_ramdisk'],
      bodyArgs: true,
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const ident = nodeIdent(request);
        const args = argumentsOf(request);
        const target = requiredArgument(args, 'target');
        if (typeof target !== 'string')
          throw new ApiError('invalid-request', `Expected string for target: ${String(target)}`);
        await checkProvisionRequest(request, await deps.nodes.get(ident), args, target);
        const task = await deps.nodes.acquire(ident, { purpose: `provision action ${target}` });
        const rest = await startUnderLock(task, deps, () =>
          startProvisionAction(task, {
            target,
            ...(args.clean_steps != null ? { clean_steps: args.clean_steps } : {}),
            ...(args.rescue_password != null ? { rescue_password: args.rescue_password as string } : {}),
            ...(args.configdrive != null ? { configdrive: args.configdrive } : {}),
          }),
        );
        return acceptAndContinue(request, reply, deps, task, `provision action "${target}"`, rest);
      },
    },
  });

  resource(app, '/v1/nodes/:ident/states/power', {
    PUT: {
      args: ['target', 'timeout'],
      bodyArgs: true,
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const ident = nodeIdent(request);
        const args = argumentsOf(request);
        const target = requiredArgument(args, 'target') as PowerTarget;
        const timeout = integerArgument(args, 'timeout');
        const node = await deps.nodes.get(ident);
        if (
          (target === 'soft rebooting' || target === 'soft power off' || timeout) &&
          request.apiMinor < MINOR.SOFT_POWER_OFF
        ) {
          throw notAcceptable();
        }
        if (timeout !== undefined && timeout < 1)
          throw new ApiError('invalid-request', 'timeout has to be positive integer');
        if (!POWER_TARGETS.includes(target))
          throw new IllegalTransition(ident, node.power_state ?? 'None', target);
        if (
          node.provision_state === ProvisionState.CLEANWAIT ||
          node.provision_state === ProvisionState.CLEANING
        ) {
          throw new IllegalTransition(ident, node.provision_state, target);
        }
        const task = await deps.nodes.acquire(ident, { purpose: `power ${target}` });
        const power = await startUnderLock(task, deps, async () => {
          const iface = task.driver.interfaces.power;
          await iface.validate?.(task);
          const supported = (await iface.getSupportedPowerStates?.(task)) ?? DEFAULT_POWER_TARGETS;
          if (!supported.includes(target)) {
            throw new ApiError(
              'invalid-request',
              `The driver ${task.node.driver} does not support the power state, ${target}`,
            );
          }
          const expected = target === 'power off' || target === 'soft power off' ? 'power off' : 'power on';
          await task.save({ target_power_state: expected, last_error: null });
          return { iface, expected } as const;
        });
        const options = timeout !== undefined ? { timeoutMs: timeout * 1000 } : {};
        return acceptAndContinue(request, reply, deps, task, `power "${target}"`, async () => {
          try {
            if (target === 'rebooting' || target === 'soft rebooting') {
              await power.iface.reboot(task, { ...options, soft: target === 'soft rebooting' });
            } else {
              await power.iface.setPowerState(task, target, options);
            }
            await task.save({ power_state: power.expected, target_power_state: null });
          } catch (error) {
            await task.save({
              target_power_state: null,
              last_error: `Failed to change power state to '${power.expected}' by '${target}'. Error: ${errorMessage(error)}`,
            });
          }
        });
      },
    },
  });

  resource(app, '/v1/nodes/:ident/states/raid', {
    PUT: {
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const ident = nodeIdent(request);
        const config = request.body;
        if (typeof config !== 'object' || config === null || Array.isArray(config)) {
          throw new ApiError(
            'invalid-request',
            `Expected types <class 'dict'> for target_raid_config: ${pythonRepr(config ?? null)}`,
          );
        }
        await deps.nodes.get(ident);
        requireMinor(request, MINOR.RAID_CONFIG);
        await withNode(deps, ident, { purpose: 'set target RAID config' }, async (task) => {
          // An empty object clears the target, as in Ironic.
          try {
            if (Object.keys(config).length > 0) await validateTargetRaidConfig(task, config);
          } catch (error) {
            // RAID is a standard interface a driver may lack: Ironic answers 404 then.
            if (error instanceof UnsupportedDriverExtension) throw new ApiError('not-found', error.message);
            throw error;
          }
          await task.save({ target_raid_config: config as JsonObject });
        });
        return reply.code(204).send();
      },
    },
  });

  resource(app, '/v1/nodes/:ident/states/console', {
    GET: {
      handler: async (request: FastifyRequest<IdentParams>) =>
        withNode(
          deps,
          nodeIdent(request),
          { shared: true, purpose: 'getting console information' },
          async (task) => {
            if (!task.node.console_enabled) return { console_enabled: false, console_info: null };
            const console = task.driver.interfaces.console;
            if (!console) throw new UnsupportedDriverExtension(task.driver.name, 'console');
            await console.validate?.(task);
            return { console_enabled: true, console_info: await console.getConsole(task) };
          },
        ),
    },
    PUT: {
      args: ['enabled'],
      bodyArgs: true,
      handler: async (request: FastifyRequest<IdentParams>, reply) => {
        const ident = nodeIdent(request);
        const args = argumentsOf(request);
        requiredArgument(args, 'enabled');
        const enabled = booleanArgument(args, 'enabled') as boolean;
        const task = await deps.nodes.acquire(ident, { purpose: 'setting console mode' });
        const console = await startUnderLock(task, deps, async () => {
          const iface = task.driver.interfaces.console;
          if (!iface) throw new UnsupportedDriverExtension(task.driver.name, 'console');
          await iface.validate?.(task);
          if (enabled !== task.node.console_enabled) await task.save({ last_error: null });
          return iface;
        });
        const location = `${baseUrl(request)}/v1/nodes/${ident}/states/console`;
        return acceptAndContinue(
          request,
          reply,
          deps,
          task,
          `console ${enabled ? 'start' : 'stop'}`,
          async () => {
            if (enabled === task.node.console_enabled) return;
            try {
              if (enabled) await console.startConsole(task);
              else await console.stopConsole(task);
              await task.save({ console_enabled: enabled, last_error: null });
            } catch (error) {
              await task.save({
                last_error: `Error ${enabled ? 'enabling' : 'disabling'} the console on node ${task.node.uuid}. Reason: ${errorMessage(error)}`,
              });
            }
          },
          location,
        );
      },
    },
  });
};
