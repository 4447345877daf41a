import {
  type JsonObject,
  startProvisionAction,
  type Task,
  validateTargetRaidConfig,
} from '@ironic/driver-base';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorMessage } from '../../error-message.js';
import { type ApiDependencies, type ApiPlugin, baseUrl } from '../api-dependencies.js';
import { ApiError } from '../ironic-errors.js';
import { nodeStatesView } from '../node-view.js';
import { parseRequest } from '../request-validation.js';

interface IdentParams {
  Params: { ident: string };
}

const provisionBody = z
  .object({
    target: z.string(),
    clean_steps: z.array(z.json()).optional(),
    target_raid_config: z.record(z.string(), z.json()).optional(),
  })
  .strict();

const POWER_TARGETS = ['power on', 'power off', 'rebooting'] as const;
const powerBody = z
  .object({
    target: z.enum(POWER_TARGETS, { error: () => `target must be one of: ${POWER_TARGETS.join(', ')}` }),
    timeout: z.number().int().positive().optional(),
  })
  .strict();

/**
 * Answers 202 for an action that goes on after the reply: the node already shows its transitional
 * state; the rest runs in the background under the same lock, released when it settles.
 */
function acceptAndContinue(
  request: FastifyRequest<IdentParams>,
  reply: FastifyReply,
  deps: ApiDependencies,
  task: Task,
  what: string,
  rest: () => Promise<void>,
): FastifyReply {
  deps.background.run(`${what} on node ${task.node.uuid}`, async () => {
    try {
      await rest();
    } finally {
      await task.release();
    }
  });
  return reply
    .code(202)
    .header('Location', `${baseUrl(request)}/v1/nodes/${task.node.uuid}/states`)
    .send();
}

/** A node whose driver this conductor does not run cannot be acted on (Ironic's NoValidHost, a 400). */
function requireDriver(task: Task, deps: ApiDependencies): void {
  if (!deps.drivers.has(task.node.driver)) {
    throw new ApiError(
      'invalid-request',
      `No valid host was found. Reason: No conductor service registered which supports driver ${task.node.driver}.`,
    );
  }
}

/**
 * Runs `start` under an exclusive lock, once the node's driver is known to be here; when it throws, the
 * lock is released and the error answered.
 */
async function startUnderLock<T>(task: Task, deps: ApiDependencies, start: () => Promise<T>): Promise<T> {
  try {
    requireDriver(task, deps);
    return await start();
  } catch (error) {
    await task.release();
    throw error;
  }
}

/** `GET /v1/nodes/{id}/states` and `PUT .../states/provision`, `.../states/power`, `.../states/raid`. */
export const nodeStateRoutes: ApiPlugin = async (app, deps) => {
  app.get<IdentParams>('/v1/nodes/:ident/states', async (request) =>
    nodeStatesView(await deps.nodes.get(request.params.ident)),
  );

  app.put<IdentParams>('/v1/nodes/:ident/states/provision', async (request, reply) => {
    const body = parseRequest(provisionBody, request.body, 'provision request');
    const task = await deps.nodes.acquire(request.params.ident, {
      purpose: `provision action ${body.target}`,
    });
    const rest = await startUnderLock(task, deps, () => startProvisionAction(task, body));
    return acceptAndContinue(request, reply, deps, task, `provision action "${body.target}"`, rest);
  });

  app.put<IdentParams>('/v1/nodes/:ident/states/power', async (request, reply) => {
    const body = parseRequest(powerBody, request.body, 'power request');
    const task = await deps.nodes.acquire(request.params.ident, { purpose: `power ${body.target}` });
    const power = await startUnderLock(task, deps, async () => {
      const iface = task.driver.interfaces.power;
      const expected = body.target === 'power off' ? 'power off' : 'power on';
      await task.save({ target_power_state: expected, last_error: null });
      return { iface, expected } as const;
    });
    const options = body.timeout !== undefined ? { timeoutMs: body.timeout * 1000 } : {};
    return acceptAndContinue(request, reply, deps, task, `power "${body.target}"`, async () => {
      try {
        if (body.target === 'rebooting') await power.iface.reboot(task, options);
        else await power.iface.setPowerState(task, power.expected, options);
        await task.save({ power_state: power.expected, target_power_state: null });
      } catch (error) {
        await task.save({
          target_power_state: null,
          last_error: `Failed to change power state to '${body.target}'. Error: ${errorMessage(error)}`,
        });
      }
    });
  });

  app.put<IdentParams>('/v1/nodes/:ident/states/raid', async (request, reply) => {
    const config = request.body;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new ApiError('invalid-request', 'The request body must be a target_raid_config object');
    }
    const task = await deps.nodes.acquire(request.params.ident, { purpose: 'set target RAID config' });
    try {
      requireDriver(task, deps);
      // An empty object clears the target, as in Ironic.
      if (Object.keys(config).length > 0) await validateTargetRaidConfig(task, config);
      await task.save({ target_raid_config: config as JsonObject });
    } finally {
      await task.release();
    }
    return reply.code(204).send();
  });
};
