import pino, { type Logger } from 'pino';
import type { Driver } from './driver.js';
import { NodeLocked, NodeNotFound } from './errors.js';
import type { Node } from './node.js';
import type { NodeQuery, NodeRepository } from './node-repository.js';
import type { AcquireOptions, NodeStore } from './node-store.js';
import { Task, type TaskDependencies } from './task.js';

/** Options of `new TaskManager(...)`. */
export interface TaskManagerOptions {
  /** Where nodes live. */
  repository: NodeRepository;
  /** This conductor's id: what `reservation` holds while it has a node locked. */
  conductorId: string;
  /** The loaded driver of a given name, if any. */
  driverFor?: (name: string) => Driver | undefined;
  logger?: Logger;
}

/**
 * Node locks over a `NodeRepository` (Ironic's task manager): a shared lock just reads the node (or takes
 * the one the caller read); an exclusive lock is the node's `reservation`, taken by one atomic
 * conditional write in the store that also returns the node as it is now.
 */
export class TaskManager implements NodeStore {
  readonly conductorId: string;
  readonly repository: NodeRepository;
  readonly #deps: TaskDependencies;

  constructor(options: TaskManagerOptions) {
    this.repository = options.repository;
    this.conductorId = options.conductorId;
    this.#deps = {
      repository: this.repository,
      conductorId: this.conductorId,
      driverFor: options.driverFor ?? (() => undefined),
      logger: options.logger ?? pino({ level: 'silent' }),
    };
  }

  async get(ident: string): Promise<Node> {
    const node = await this.repository.get(ident);
    if (!node) throw new NodeNotFound(ident);
    return node;
  }

  list(query?: NodeQuery): Promise<Node[]> {
    return this.repository.list(query);
  }

  acquire(ident: string, options: AcquireOptions = {}): Promise<Task> {
    const purpose = options.purpose ?? 'unspecified';
    const given = options.node;
    // A shared lock on the node the caller read is no more than a task around it: a sweep takes one per
    // node it visits, without the cost of an async call.
    if (options.shared && given && (given.uuid === ident || given.name === ident)) {
      return Promise.resolve(new Task(given as Node, true, purpose, this.#deps));
    }
    return this.#acquire(ident, options.shared === true, purpose);
  }

  async #acquire(ident: string, shared: boolean, purpose: string): Promise<Task> {
    if (shared) return new Task(await this.get(ident), true, purpose, this.#deps);
    const result = await this.repository.reserve(ident, this.conductorId);
    if (result.status === 'not-found') throw new NodeNotFound(ident);
    if (result.status === 'locked') throw new NodeLocked(ident, result.holder);
    return new Task(result.node, false, purpose, this.#deps);
  }

  async withTask<T>(ident: string, options: AcquireOptions, work: (task: Task) => Promise<T>): Promise<T> {
    const task = await this.acquire(ident, options);
    try {
      return await work(task);
    } finally {
      await task.release();
    }
  }
}
