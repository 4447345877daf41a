import type { Logger } from 'pino';
import type { Driver } from './driver.js';
import { driverForNode } from './driver-interfaces.js';
import {
  ExclusiveLockRequired,
  IllegalTransition,
  NodeLocked,
  NodeNotFound,
  TaskReleased,
} from './errors.js';
import type { Node, NodeChanges } from './node.js';
import type { NodeRepository } from './node-repository.js';
import {
  nextProvisionState,
  type ProvisionEvent,
  type ProvisionState,
  targetAfter,
} from './provision-states.js';

/** What `release()` gives when there is nothing to wait for. */
const RELEASED: Promise<void> = Promise.resolve();

/** Options of `task.processEvent(...)`. */
export interface ProcessEventOptions {
  /** Override the target state (e.g. `manageable` for a manual clean). */
  targetState?: ProvisionState;
  /** Set `last_error` (a failure message), or clear it with null. */
  lastError?: string | null;
  /** Other changes saved in the same write as the state change. */
  changes?: NodeChanges;
}

/** Internal collaborators of a task, given by `TaskManager`. */
export interface TaskDependencies {
  readonly repository: NodeRepository;
  readonly conductorId: string;
  readonly driverFor: (name: string) => Driver | undefined;
  readonly logger: Logger;
}

/**
 * One piece of work on one node under a lock (Ironic's `TaskManager` task). A shared task reads; it must
 * `upgradeLock()` before it writes. Release it when done (or use `await using` / `NodeStore.withTask`).
 */
export class Task {
  #node: Node;
  #shared: boolean;
  #released = false;
  readonly purpose: string;
  #logger: Logger | undefined;
  readonly #deps: TaskDependencies;

  constructor(node: Node, shared: boolean, purpose: string, deps: TaskDependencies) {
    this.#node = node;
    this.#shared = shared;
    this.purpose = purpose;
    this.#deps = deps;
  }

  /** A logger naming the node (made on first use: a sweep's quiet visits never pay for it). */
  get logger(): Logger {
    this.#logger ??= this.#deps.logger.child({ node: this.#node.uuid });
    return this.#logger;
  }

  /** The node as last read or saved by this task. */
  get node(): Readonly<Node> {
    return this.#node;
  }

  /** Whether the task holds only a shared lock. */
  get shared(): boolean {
    return this.#shared;
  }

  /** Whether `release()` was called. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * The node's driver, as loaded by this conductor, with the implementations the node chose (its
   * `<interface>_interface` fields) as `interfaces`.
   */
  get driver(): Driver {
    const driver = this.#deps.driverFor(this.#node.driver);
    if (!driver)
      throw new Error(
        `Driver "${this.#node.driver}" of node ${this.#node.uuid} is not enabled on this conductor.`,
      );
    return driverForNode(driver, this.#node);
  }

  /**
   * Turns a shared lock into an exclusive one by reserving the node, and re-reads it: what a handler
   * decided under the shared lock must be checked again on the fresh `task.node`.
   */
  async upgradeLock(): Promise<void> {
    this.#assertLive();
    if (!this.#shared) return;
    const result = await this.#deps.repository.reserve(this.#node.uuid, this.#deps.conductorId);
    if (result.status === 'not-found') throw new NodeNotFound(this.#node.uuid);
    if (result.status === 'locked') throw new NodeLocked(this.#node.uuid, result.holder);
    this.#node = result.node;
    this.#shared = false;
  }

  /** Saves changes to the node; needs the exclusive lock. */
  async save(changes: NodeChanges): Promise<Node> {
    this.#assertExclusive('save');
    this.#node = await this.#deps.repository.update(this.#node.uuid, this.#deps.conductorId, changes);
    return this.#node;
  }

  /**
   * Moves the node through the provision state machine (Ironic's `task.process_event`) and saves it;
   * an illegal event rejects with `IllegalTransition` and changes nothing.
   */
  async processEvent(event: ProvisionEvent, options: ProcessEventOptions = {}): Promise<Node> {
    this.#assertExclusive(`the "${event}" event`);
    const from = this.#node.provision_state;
    const to = nextProvisionState(from, event);
    if (!to) throw new IllegalTransition(this.#node.uuid, from, event);
    const changes: NodeChanges = {
      ...options.changes,
      provision_state: to,
      target_provision_state: targetAfter(to, event, this.#node.target_provision_state, options.targetState),
    };
    if (options.lastError !== undefined) changes.last_error = options.lastError;
    this.logger.info({ event, from, to }, 'provision state change');
    return this.save(changes);
  }

  /** Re-reads the node from the store. */
  async refresh(): Promise<Node> {
    this.#assertLive();
    const node = await this.#deps.repository.get(this.#node.uuid);
    if (!node) throw new NodeNotFound(this.#node.uuid);
    this.#node = node;
    return node;
  }

  /** Releases the lock; safe to call twice. */
  release(): Promise<void> {
    if (this.#released) return RELEASED;
    this.#released = true;
    // A shared lock holds nothing in the store: a sweep releases one per node, at no async call's cost.
    return this.#shared ? RELEASED : this.#releaseReservation();
  }

  async #releaseReservation(): Promise<void> {
    await this.#deps.repository.release(this.#node.uuid, this.#deps.conductorId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }

  #assertLive(): void {
    if (this.#released) throw new TaskReleased(this.#node.uuid);
  }

  #assertExclusive(action: string): void {
    this.#assertLive();
    if (this.#shared) throw new ExclusiveLockRequired(this.#node.uuid, action);
  }
}
