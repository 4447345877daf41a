import { DemoError } from './errors.js';
import type { IronicClient, NodeState } from './ironic-client.js';

/** A wait on the board that ran out of time; the message names the node, what it waited for and where it is. */
export class NodeWaitTimedOut extends DemoError {
  override readonly name = 'NodeWaitTimedOut';
  override readonly code = 'DEMO_NODE_WAIT_TIMED_OUT';
  constructor(
    readonly uuid: string,
    readonly waitedFor: readonly string[],
    readonly lastSeen: NodeState | undefined,
    timeoutMs: number,
  ) {
    super(
      `node ${lastSeen?.name ?? uuid} did not reach ${waitedFor.join(' or ')} within ${timeoutMs / 1000} s (last seen in "${lastSeen?.provision_state ?? 'unknown'}")`,
    );
  }
}

interface Waiter {
  readonly uuid: string;
  readonly states: ReadonlySet<string>;
  /** Only snapshots from polls started at or after this generation count. */
  readonly fromGeneration: number;
  readonly resolve: (node: NodeState) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Options of {@link NodeBoard}. */
export interface NodeBoardOptions {
  /** Milliseconds between two polls. Default 250. */
  readonly intervalMs?: number;
  /** Called with every fresh snapshot (the live view draws from it). */
  readonly onSnapshot?: (nodes: readonly NodeState[]) => void;
  /** Called when a poll fails; polling goes on. */
  readonly onPollError?: (error: unknown) => void;
}

/**
 * Watches every node through one `GET /v1/nodes` poll at a time, instead of one poll per node, and lets
 * node flows wait for a node to settle in a state: the state is one of those asked for and no lock is held
 * on the node. A wait only trusts polls that started after it was asked for, so it never sees the state
 * from before the request it follows.
 */
export class NodeBoard {
  #nodes = new Map<string, NodeState>();
  #generation = 0;
  #waiters = new Set<Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;
  readonly #intervalMs: number;

  constructor(
    private readonly client: IronicClient,
    private readonly options: NodeBoardOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 250;
  }

  /** The latest snapshot of every node. */
  get nodes(): readonly NodeState[] {
    return [...this.#nodes.values()];
  }

  /** The latest snapshot of one node. */
  node(uuid: string): NodeState | undefined {
    return this.#nodes.get(uuid);
  }

  /** Starts polling. */
  start(): void {
    this.#schedule(0);
  }

  /** Polls once now (after any poll in flight) and returns the snapshot. */
  async refresh(): Promise<readonly NodeState[]> {
    await this.#polling;
    await this.#poll();
    return this.nodes;
  }

  /**
   * Resolves with the node once a poll that started after this call shows it in one of `states` with no
   * reservation; rejects with {@link NodeWaitTimedOut} after `timeoutMs`.
   */
  waitFor(uuid: string, states: readonly string[], timeoutMs: number): Promise<NodeState> {
    return new Promise<NodeState>((resolve, reject) => {
      const waiter: Waiter = {
        uuid,
        states: new Set(states),
        fromGeneration: this.#generation + 1,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new NodeWaitTimedOut(uuid, states, this.#nodes.get(uuid), timeoutMs));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Stops polling and rejects the waits still pending. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#polling;
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`stopped while waiting for node ${waiter.uuid}`));
    }
    this.#waiters.clear();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        this.#schedule(this.#intervalMs);
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    const generation = ++this.#generation;
    let nodes: NodeState[];
    try {
      nodes = await this.client.listNodes();
    } catch (error) {
      this.options.onPollError?.(error);
      return;
    }
    this.#nodes = new Map(nodes.map((node) => [node.uuid, node]));
    this.options.onSnapshot?.(nodes);
    for (const waiter of this.#waiters) {
      if (generation < waiter.fromGeneration) continue;
      const node = this.#nodes.get(waiter.uuid);
      if (node && waiter.states.has(node.provision_state) && node.reservation === null) {
        this.#waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(node);
      }
    }
  }
}
