import type { NewNode, Node, NodeChanges } from './node.js';
import type { ProvisionState } from './provision-states.js';
import type { RingRangesByDriver } from './ring-ranges.js';

/**
 * The keys a node list may be sorted by: `id` (the order nodes were created in, Ironic's default) and
 * the node's scalar fields.
 */
export const NODE_SORT_KEYS = [
  'id',
  'uuid',
  'name',
  'driver',
  'created_at',
  'updated_at',
  'provision_state',
  'provision_updated_at',
  'target_provision_state',
  'power_state',
  'target_power_state',
  'maintenance',
  'maintenance_reason',
  'fault',
  'reservation',
  'last_error',
  'instance_uuid',
  'resource_class',
  'conductor_group',
  'owner',
  'lessee',
  'description',
  'protected',
  'retired',
  'shard',
  'automated_clean',
  'console_enabled',
  'boot_mode',
  'secure_boot',
  'inspection_started_at',
  'inspection_finished_at',
  'bios_interface',
  'boot_interface',
  'console_interface',
  'deploy_interface',
  'inspect_interface',
  'management_interface',
  'network_interface',
  'power_interface',
  'raid_interface',
  'rescue_interface',
  'storage_interface',
  'vendor_interface',
] as const;
/** A key a node list may be sorted by. */
export type NodeSortKey = (typeof NODE_SORT_KEYS)[number];

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
  /** Only the node of this instance. */
  instanceUuid?: string;
  /** Only nodes with (true) or without (false) an instance. */
  associated?: boolean;
  /** Only nodes of this resource class. */
  resourceClass?: string;
  /** Only nodes of this conductor group (compared in lower case). */
  conductorGroup?: string;
  /** Only nodes with this fault. */
  fault?: string;
  /** Only nodes of this owner. */
  owner?: string;
  /** Only nodes of this lessee. */
  lessee?: string;
  /** Only nodes this project owns or leases. */
  project?: string;
  /** Only retired (true) or not retired (false) nodes. */
  retired?: boolean;
  /** Only nodes in one of these shards. */
  shard?: readonly string[];
  /** Only nodes with (true) or without (false) a shard. */
  sharded?: boolean;
  /** Only nodes whose description contains this text. */
  descriptionContains?: string;
  /**
   * Only nodes whose ring point (`ringPoint(uuid)`) lies in the ranges given for their driver: the nodes
   * a conductor's hash rings give it, selected by the database. Drivers not in the map match nothing.
   */
  ringRanges?: RingRangesByDriver;
  /** Page size. */
  limit?: number;
  /** Start after this node UUID. */
  marker?: string;
  /** Sort key and direction; default `uuid` ascending. Ties are broken by UUID. */
  sortKey?: NodeSortKey;
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
