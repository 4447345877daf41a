import type { Task } from '@ironic/driver-base';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiDependencies, baseUrl } from './api-dependencies.js';
import { noValidHost } from './node-create.js';

/**
 * Answers 202 for an action that goes on after the reply: the node already shows its transitional
 * state; the rest runs in the background under the same lock, released when it settles.
 */
export function acceptAndContinue(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ApiDependencies,
  task: Task,
  what: string,
  rest: () => Promise<void>,
  location = `${baseUrl(request)}/v1/nodes/${task.node.uuid}/states`,
): FastifyReply {
  deps.background.run(`${what} on node ${task.node.uuid}`, async () => {
    try {
      await rest();
    } finally {
      await task.release();
    }
  });
  return reply.code(202).header('Location', location).send();
}

/** A node whose driver this conductor does not run cannot be acted on (Ironic's NoValidHost, a 400). */
export function requireDriver(task: Task, deps: ApiDependencies): void {
  if (!deps.drivers.has(task.node.driver)) throw noValidHost(task.node.driver, task.node.conductor_group);
}

/**
 * Runs `start` under the task's exclusive lock, once the node's driver is known to be here; when it
 * throws, the lock is released and the error answered.
 */
export async function startUnderLock<T>(
  task: Task,
  deps: ApiDependencies,
  start: () => Promise<T>,
): Promise<T> {
  try {
    requireDriver(task, deps);
    return await start();
  } catch (error) {
    await task.release();
    throw error;
  }
}

/** Runs `work` on a node under a lock, released afterwards; the node's driver must be here. */
export async function withNode<T>(
  deps: ApiDependencies,
  ident: string,
  options: { shared?: boolean; purpose: string },
  work: (task: Task) => Promise<T>,
): Promise<T> {
  return deps.nodes.withTask(ident, options, async (task) => {
    requireDriver(task, deps);
    return work(task);
  });
}
