import pino, { type Logger } from 'pino';
import type { Driver } from './driver.js';
import { NodeLocked, NodeNotFound } from './errors.js';
import type { Node } from './node.js';
import type { NodeQuery, NodeRepository } from './node-repository.js';
import type { AcquireOptions, NodeStore } from './node-store.js';
import { Task } from './task.js';

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
  readonly #driverFor: (name: string) => Driver | undefined;
  readonly #logger: Logger;

  constructor(options: TaskManagerOptions) {
    this.repository = options.repository;
    this.conductorId = options.conductorId;
    this.#driverFor = options.driverFor ?? (() => undefined);
    this.#logger = options.logger ?? pino({ level: 'silent' });
  }

  async get(ident: string): Promise<Node> {
    const node = await this.repository.get(ident);
    if (!node) throw new NodeNotFound(ident);
    return node;
  }

  list(query?: NodeQuery): Promise<Node[]> {
    return this.repository.list(query);
  }

  async acquire(ident: string, options: AcquireOptions = {}): Promise<Task> {
    const purpose = options.purpose ?? 'unspecified';
    const deps = {
      repository: this.repository,
      conductorId: this.conductorId,
      driverFor: this.#driverFor,
      logger: this.#logger,
    };
    if (options.shared) {
      const given = options.node;
      const node = given && (given.uuid === ident || given.name === ident) ? given : await this.get(ident);
      return new Task(node as Node, true, purpose, deps);
    }
    const result = await this.repository.reserve(ident, this.conductorId);
    if (result.status === 'not-found') throw new NodeNotFound(ident);
    if (result.status === 'locked') throw new NodeLocked(ident, result.holder);
    return new Task(result.node, false, purpose, deps);
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
