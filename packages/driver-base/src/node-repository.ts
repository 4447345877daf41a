import type { NewNode, Node, NodeChanges } from './node.js';
import type { ProvisionState } from './provision-states.js';

/** Filters for listing nodes; every given filter must match. */
export interface NodeQuery {
  /** Only nodes in one of these provision states. */
  provisionState?: ProvisionState | readonly ProvisionState[];
  /** Only nodes of one of these drivers. */
  driver?: string | readonly string[];
  /** Only nodes in (true) or out of (false) maintenance. */
  maintenance?: boolean;
  /** Only reserved (true) or unreserved (false) nodes. */
  reserved?: boolean;
  /** Only nodes reserved by this conductor. */
  reservedBy?: string;
  /** Page size. */
  limit?: number;
  /** Start after this node UUID (pages are ordered by UUID unless `sortKey` says otherwise). */
  marker?: string;
  /** Sort key (a node field) and direction; default `uuid` ascending. */
  sortKey?:
    | 'uuid'
    | 'name'
    | 'created_at'
    | 'updated_at'
    | 'provision_state'
    | 'provision_updated_at'
    | 'driver';
  sortDir?: 'asc' | 'desc';
}

/** The result of trying to reserve a node. */
export type ReserveResult =
  | { readonly status: 'reserved'; readonly node: Node }
  | { readonly status: 'locked'; readonly holder: string }
  | { readonly status: 'not-found' };

/**
 * Where nodes live. The conductor implements it on PostgreSQL / PGlite; the testing kit in memory. Both
 * keep the same semantics, which `TaskManager` builds node locks upon:
 * - `reserve` is one atomic conditional write (`reservation` set only where it is null), so two
 *   conductors sharing one database can never both hold a node;
 * - `update` and `release` succeed only for the conductor holding the reservation.
 */
export interface NodeRepository {
  /** Creates a node; a duplicate UUID or name rejects with `NodeAlreadyExists`. */
  create(node: NewNode): Promise<Node>;
  /** The node with this UUID or name, or undefined. */
  get(ident: string): Promise<Node | undefined>;
  /** Nodes matching the query, ordered and paged as it says. */
  list(query?: NodeQuery): Promise<Node[]>;
  /** How many nodes are in each provision state. */
  countByProvisionState(): Promise<Partial<Record<ProvisionState, number>>>;
  /** Atomically reserves an unreserved node for `conductorId`. */
  reserve(ident: string, conductorId: string): Promise<ReserveResult>;
  /** Clears the reservation if `conductorId` holds it; true when it did. */
  release(uuid: string, conductorId: string): Promise<boolean>;
  /** Clears every reservation held by `conductorId` (a restart, or a dead conductor); the count cleared. */
  releaseAll(conductorId: string): Promise<number>;
  /**
   * Applies `changes` to a node reserved by `conductorId` and returns the node as saved; rejects with
   * `NodeLocked` when the reservation is not (or no longer) held, `NodeNotFound` when the node is gone.
   */
  update(uuid: string, conductorId: string, changes: NodeChanges): Promise<Node>;
  /** Deletes a node reserved by `conductorId`. */
  delete(uuid: string, conductorId: string): Promise<void>;
}
