import type { Node } from './node.js';
import type { NodeQuery } from './node-repository.js';
import type { Task } from './task.js';

/** How to lock a node for a piece of work. */
export interface AcquireOptions {
  /** A shared lock (no reservation; upgrade before writing) or an exclusive one. Default: exclusive. */
  shared?: boolean;
  /** What the work is, for logs and `NodeLocked` diagnostics. */
  purpose?: string;
  /**
   * The node as the caller just read it (a page of a sweep). A shared lock starts from it and makes no
   * database round trip; an exclusive lock ignores it and reads the node as it reserves it.
   */
  node?: Readonly<Node>;
}

/** Nodes as a driver sees them: read and list freely; lock one to change it. */
export interface NodeStore {
  /** The node with this UUID or name; rejects with `NodeNotFound`. */
  get(ident: string): Promise<Node>;
  /** Nodes matching the query. */
  list(query?: NodeQuery): Promise<Node[]>;
  /** Locks a node (Ironic's `task_manager.acquire`); rejects with `NodeLocked` or `NodeNotFound`. */
  acquire(ident: string, options?: AcquireOptions): Promise<Task>;
  /** Acquires, runs `work`, and releases the lock whatever happens. */
  withTask<T>(ident: string, options: AcquireOptions, work: (task: Task) => Promise<T>): Promise<T>;
}
