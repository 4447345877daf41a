import { definePeriodicTask, type PeriodicTask, type TaskContext } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import { NodeLocked, NodeNotFound, Stop } from './errors.js';
import type { Node } from './node.js';
import type { NodePeriodicDefinition } from './node-periodic.js';
import type { NodeQuery } from './node-repository.js';
import type { NodeStore } from './node-store.js';

/** Running totals of one per-node periodic task, over all its runs. */
export interface SweepCounters {
  /** Sweeps started. */
  runs: number;
  /** Nodes that matched the filters, the ownership check and the predicate. */
  visited: number;
  /** Nodes whose handler ran to completion and did not return `false`. */
  handled: number;
  /** Nodes skipped because another task held their lock. */
  skippedLocked: number;
  /** Nodes skipped because they vanished before or while being handled. */
  skippedNotFound: number;
  /** Handlers that threw (other than `Stop`, `NodeLocked`, `NodeNotFound`). */
  errors: number;
  /** Sweeps ended early by a `Stop` from a handler. */
  stopped: number;
}

/** A per-node periodic task as the worker runs it, with its counters. */
export interface NodeSweepTask extends PeriodicTask {
  readonly sweep: Readonly<SweepCounters>;
  /** The drivers whose nodes this sweep visits. */
  readonly drivers: readonly string[];
}

/** What a sweep needs besides its definition. */
export interface NodeSweepOptions {
  /** Where the nodes are, and their locks. */
  nodes: NodeStore;
  /** The drivers that use the interface the task belongs to; only their nodes are visited. */
  drivers: readonly string[];
  /** Whether this conductor manages a node (the hash ring, with several conductors). Default: all. */
  ownsNode?: (node: Readonly<Node>) => boolean;
  /** Whether the node uses the interface the task belongs to (the implementation it chose). Default: yes. */
  usesInterface?: (node: Readonly<Node>) => boolean;
  /** Where handler errors are logged. */
  logger: Logger;
  /** Nodes read per database page. Default 500. */
  pageSize?: number;
}

/**
 * Turns a per-node periodic definition into one periodic task: each run pages through the matching
 * nodes and handles them under their locks. Being one task of the worker, a sweep never overlaps itself.
 */
export function createNodeSweepTask(
  definition: NodePeriodicDefinition,
  options: NodeSweepOptions,
): NodeSweepTask {
  const counters: SweepCounters = {
    runs: 0,
    visited: 0,
    handled: 0,
    skippedLocked: 0,
    skippedNotFound: 0,
    errors: 0,
    stopped: 0,
  };
  const logger = options.logger.child({ task: definition.name });
  const pageSize = options.pageSize ?? 500;
  const run = (context: TaskContext) => sweepOnce(definition, options, counters, logger, pageSize, context);
  const task = definePeriodicTask(run, definition.periodic);
  return Object.assign(task, { sweep: counters, drivers: [...options.drivers] });
}

function baseQuery(definition: NodePeriodicDefinition, drivers: readonly string[]): NodeQuery {
  const query: NodeQuery = { driver: drivers, sortKey: 'uuid', sortDir: 'asc' };
  const { provision_state, maintenance, reserved } = definition.filters;
  if (provision_state !== undefined) query.provisionState = provision_state;
  if (maintenance !== undefined) query.maintenance = maintenance;
  if (reserved !== undefined) query.reserved = reserved;
  return query;
}

async function sweepOnce(
  definition: NodePeriodicDefinition,
  options: NodeSweepOptions,
  counters: SweepCounters,
  logger: Logger,
  pageSize: number,
  context: TaskContext,
): Promise<void> {
  counters.runs += 1;
  if (options.drivers.length === 0) return;
  const state = { handled: 0, inFlight: 0, stopped: false };
  const limit = definition.limit;
  const room = () => limit === undefined || state.handled + state.inFlight < limit;
  const query = baseQuery(definition, options.drivers);
  let marker: string | undefined;
  while (!state.stopped && !context.signal.aborted && room()) {
    const page = await options.nodes.list({ ...query, limit: pageSize, ...(marker ? { marker } : {}) });
    if (page.length === 0) break;
    marker = page[page.length - 1]?.uuid;
    const candidates = page.filter(
      (node) =>
        (options.usesInterface?.(node) ?? true) &&
        (options.ownsNode?.(node) ?? true) &&
        (definition.predicate?.(node) ?? true),
    );
    await inPool(candidates, definition.concurrency, async (node) => {
      if (state.stopped || context.signal.aborted || !room()) return;
      state.inFlight += 1;
      counters.visited += 1;
      let counted = false;
      try {
        counted = await handleNode(definition, options.nodes, node, logger, context, counters, state);
      } finally {
        state.inFlight -= 1;
        if (counted) state.handled += 1;
      }
    });
    if (page.length < pageSize) break;
  }
}

async function handleNode(
  definition: NodePeriodicDefinition,
  nodes: NodeStore,
  node: Readonly<Node>,
  logger: Logger,
  context: TaskContext,
  counters: SweepCounters,
  state: { stopped: boolean },
): Promise<boolean> {
  const nodeLogger = logger.child({ node: node.uuid });
  let task: Awaited<ReturnType<NodeStore['acquire']>> | undefined;
  try {
    task = await nodes.acquire(node.uuid, { shared: definition.shared, purpose: definition.name });
    const result = await definition.handler(task, {
      signal: context.signal,
      name: definition.name,
      logger: nodeLogger,
    });
    if (result === false) return false;
    counters.handled += 1;
    return true;
  } catch (error) {
    if (error instanceof Stop) {
      state.stopped = true;
      counters.stopped += 1;
      nodeLogger.info({ reason: error.message }, 'sweep stopped by its handler');
    } else if (error instanceof NodeLocked) {
      counters.skippedLocked += 1;
      nodeLogger.info('node is locked, skipping');
    } else if (error instanceof NodeNotFound) {
      counters.skippedNotFound += 1;
      nodeLogger.info('node was not found, skipping');
    } else {
      counters.errors += 1;
      nodeLogger.error({ err: error }, 'per-node periodic handler failed');
    }
    return false;
  } finally {
    await task
      ?.release()
      .catch((error: unknown) => nodeLogger.warn({ err: error }, 'releasing the node failed'));
  }
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
