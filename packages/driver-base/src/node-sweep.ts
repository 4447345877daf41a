import { setMaxListeners } from 'node:events';
import { setImmediate } from 'node:timers/promises';
import { definePeriodicTask, type PeriodicTask, type TaskContext } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import { errorMessage } from './cleaning.js';
import { NodeLocked, NodeNotFound, Stop } from './errors.js';
import type { Node } from './node.js';
import type { NodePeriodicContext, NodePeriodicDefinition } from './node-periodic.js';
import type { NodeQuery } from './node-repository.js';
import type { NodeStore } from './node-store.js';
import { WAIT_STATES } from './provision-states.js';
import type { RingRange, RingRangesByDriver } from './ring-ranges.js';
import type { Task } from './task.js';

/** The longest a sweep keeps the event loop before letting other work in (ms). */
const SLICE_MS = 5;

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
  /**
   * Whether this conductor manages a node (the hash ring, with several conductors), checked on each node
   * as its page arrives. Default: all. With `ownedRanges` too, it drops the nodes of a ring rebuilt
   * while the page was read.
   */
  ownsNode?: (node: Readonly<Node>) => boolean;
  /**
   * The ring ranges of a driver's nodes this conductor manages, asked again for every page: the
   * database then selects only this conductor's nodes (`NodeQuery.ringRanges`), so each conductor reads
   * its own rows rather than all of them.
   */
  ownedRanges?: (driver: string) => readonly RingRange[];
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
  // Every lane hands the run's signal to its handler (which may pass it on to a request or two): many
  // listeners on one signal is this sweep's design, not a leak.
  setMaxListeners(Math.max(10, 4 * definition.concurrency), context.signal);
  const state = { handled: 0, inFlight: 0, stopped: false };
  const limit = definition.limit;
  const going = () =>
    !state.stopped &&
    !context.signal.aborted &&
    (limit === undefined || state.handled + state.inFlight < limit);
  const { ownedRanges, ownsNode: owned } = options;
  const pages = new NodePages({
    nodes: options.nodes,
    query: baseQuery(definition, options.drivers),
    // Asked per page: a ring rebuilt during the sweep applies from the next page on.
    ...(ownedRanges
      ? { ringRanges: () => new Map(options.drivers.map((driver) => [driver, ownedRanges(driver)])) }
      : {}),
    pageSize,
    accept: (node) =>
      (options.usesInterface?.(node) ?? true) &&
      (owned?.(node) ?? true) &&
      (definition.predicate?.(node) ?? true),
    // The next page is read while the lanes still have this much work: they never wait on a page read.
    lowWater: Math.max(definition.concurrency * 2, pageSize),
  });
  // Lanes pull nodes one at a time across page boundaries, so `concurrency` nodes stay in hand all along.
  const slice = { startedAt: performance.now() };
  const lane = async () => {
    while (going()) {
      // Buffered nodes and quick handlers resolve as microtasks only: without a turn of the event loop
      // now and then, a sweep would hold off every request and timer until its page is done.
      if (performance.now() - slice.startedAt >= SLICE_MS) {
        await setImmediate();
        slice.startedAt = performance.now();
      }
      // A buffered node is taken as it is: an await per node would cost a promise and a turn of the
      // microtask queue for nothing.
      const node = pages.take() ?? (await pages.next());
      if (node === undefined || !going()) return;
      // Asked again as each node comes up, not only when its page was read: ownership may have moved
      // since (the cluster's members changed), and the new owner may already be visiting it.
      if (!(options.ownsNode?.(node) ?? true)) continue;
      state.inFlight += 1;
      counters.visited += 1;
      let counted = false;
      try {
        counted = await handleNode(definition, options.nodes, node, logger, context, counters, state);
      } finally {
        state.inFlight -= 1;
        if (counted) state.handled += 1;
      }
    }
  };
  // Every lane ends before the run does, even when one fails (a page read in an outage): a lane still
  // handling a node must not overlap the sweep's next run.
  const lanes = await Promise.allSettled(Array.from({ length: definition.concurrency }, lane));
  const failed = lanes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The nodes a sweep visits, read a page at a time in UUID order (keyset paging), filtered by ownership
 * and the predicate; the next page is read ahead while the buffered nodes run low.
 */
class NodePages {
  #buffer: Readonly<Node>[] = [];
  #index = 0;
  #marker: string | undefined;
  #exhausted = false;
  #reading: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(
    private readonly source: {
      nodes: NodeStore;
      query: NodeQuery;
      ringRanges?: () => RingRangesByDriver;
      pageSize: number;
      accept: (node: Readonly<Node>) => boolean;
      lowWater: number;
    },
  ) {}

  /** The next node to visit if one is buffered (reading ahead when they run low), else undefined. */
  take(): Readonly<Node> | undefined {
    if (this.#failure || this.#index >= this.#buffer.length) return undefined;
    const node = this.#buffer[this.#index++] as Readonly<Node>;
    if (this.#buffer.length - this.#index < this.source.lowWater) void this.#readAhead();
    return node;
  }

  /** The next node to visit, or undefined once every page was read and handed out. */
  async next(): Promise<Readonly<Node> | undefined> {
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      const node = this.take();
      if (node !== undefined) return node;
      if (this.#exhausted) return undefined;
      await this.#readAhead();
    }
  }

  #readAhead(): Promise<void> {
    if (this.#exhausted || this.#failure) return Promise.resolve();
    this.#reading ??= this.#read()
      .catch((error: unknown) => {
        this.#failure = { error };
      })
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  async #read(): Promise<void> {
    const { nodes, query, pageSize, accept, ringRanges } = this.source;
    const marker = this.#marker;
    const page = await nodes.list({
      ...query,
      limit: pageSize,
      ...(marker ? { marker } : {}),
      ...(ringRanges ? { ringRanges: ringRanges() } : {}),
    });
    if (page.length < pageSize) this.#exhausted = true;
    if (page.length > 0) this.#marker = page[page.length - 1]?.uuid;
    this.#buffer = this.#buffer.slice(this.#index).concat(page.filter(accept));
    this.#index = 0;
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
  const visit = new NodeVisit(context.signal, definition.name, logger, node.uuid);
  let task: Awaited<ReturnType<NodeStore['acquire']>> | undefined;
  try {
    // A shared lock starts from the node as the page read it (no round trip of its own, as Ironic's
    // shared locks); an exclusive one reads it again as it reserves it.
    task = await nodes.acquire(node.uuid, { shared: definition.shared, purpose: definition.name, node });
    const result = await definition.handler(task, visit);
    if (result === false) return false;
    counters.handled += 1;
    return true;
  } catch (error) {
    if (error instanceof Stop) {
      state.stopped = true;
      counters.stopped += 1;
      visit.logger.info({ reason: error.message }, 'sweep stopped by its handler');
    } else if (error instanceof NodeLocked) {
      counters.skippedLocked += 1;
      visit.logger.info('node is locked, skipping');
    } else if (error instanceof NodeNotFound) {
      counters.skippedNotFound += 1;
      visit.logger.info('node was not found, skipping');
    } else {
      counters.errors += 1;
      visit.logger.error({ err: error }, 'per-node periodic handler failed');
      if (task && !task.released) await recordWaitError(task, definition.name, error, visit.logger);
    }
    return false;
  } finally {
    try {
      await task?.release();
    } catch (error) {
      visit.logger.warn({ err: error }, 'releasing the node failed');
    }
  }
}

/** What a handler is called with for one node: the sweep's signal and name, a logger naming the node. */
class NodeVisit implements NodePeriodicContext {
  readonly #sweepLogger: Logger;
  readonly #uuid: string;
  #logger: Logger | undefined;

  constructor(
    readonly signal: AbortSignal,
    readonly name: string,
    sweepLogger: Logger,
    uuid: string,
  ) {
    this.#sweepLogger = sweepLogger;
    this.#uuid = uuid;
  }

  /** Made on first use: most visits log nothing, and a child logger per node is a sweep's cost. */
  get logger(): Logger {
    this.#logger ??= this.#sweepLogger.child({ node: this.#uuid });
    return this.#logger;
  }
}

/**
 * A node waiting on an outside service (a BMC job, a ramdisk) whose check failed: the failure goes to
 * `last_error`, where the operator sees it while the node waits, and where the wait's timeout names it.
 * Best effort: a node taken meanwhile keeps its own state.
 */
async function recordWaitError(task: Task, taskName: string, error: unknown, logger: Logger): Promise<void> {
  if (!WAIT_STATES.has(task.node.provision_state)) return;
  try {
    await task.upgradeLock();
    if (!WAIT_STATES.has(task.node.provision_state)) return;
    await task.save({ last_error: `${taskName} failed: ${errorMessage(error)}` });
  } catch (recordError) {
    logger.warn({ err: recordError }, 'could not record the failure in last_error');
  }
}
