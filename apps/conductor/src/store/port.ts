import type { JsonObject } from '@ironic/driver-base';
import { ConductorError } from '../errors.js';

/** A node's network interface (Ironic's port), by MAC address. Timestamps as the API shows them. */
export interface Port {
  uuid: string;
  /** The MAC address, lower case, colon-separated; unique across the fleet. */
  address: string;
  node_uuid: string;
  extra: JsonObject;
  internal_info: JsonObject;
  local_link_connection: JsonObject;
  pxe_enabled: boolean;
  physical_network: string | null;
  is_smartnic: boolean;
  created_at: string;
  updated_at: string | null;
}

/** What a new port is created with: address and node are required. */
export type NewPort = Partial<Omit<Port, 'created_at' | 'updated_at'>> & Pick<Port, 'address' | 'node_uuid'>;

/** What an update may change. */
export type PortChanges = Partial<Omit<Port, 'uuid' | 'created_at' | 'updated_at'>>;

/** The keys a port list may be sorted by (`id`: creation order, Ironic's default). */
export const PORT_SORT_KEYS = [
  'id',
  'uuid',
  'address',
  'node_uuid',
  'pxe_enabled',
  'physical_network',
  'is_smartnic',
  'created_at',
  'updated_at',
] as const;
/** A key a port list may be sorted by. */
export type PortSortKey = (typeof PORT_SORT_KEYS)[number];

/** Filters, order and paging of a port list. */
export interface PortQuery {
  nodeUuid?: string;
  address?: string;
  limit?: number;
  /** Start after this port UUID. */
  marker?: string;
  sortKey?: PortSortKey;
  sortDir?: 'asc' | 'desc';
}

/** Where ports live (`KyselyPortRepository` in the conductor). */
export interface PortRepository {
  /** Creates a port; `PortAlreadyExists` for a taken address or UUID, `NodeNotFound` for a missing node. */
  create(port: NewPort): Promise<Port>;
  /** The port with this UUID; `PortNotFound` otherwise. */
  get(uuid: string): Promise<Port>;
  /** Ports matching the query, ordered and paged as it says (default: creation order). */
  list(query?: PortQuery): Promise<Port[]>;
  /** Applies changes; `PortNotFound`, `PortAlreadyExists` or `NodeNotFound` when they cannot apply. */
  update(uuid: string, changes: PortChanges): Promise<Port>;
  /** Deletes a port; `PortNotFound` when there is none. */
  delete(uuid: string): Promise<void>;
  /** The UUIDs of the nodes having a port with one of these (lower-case) addresses. */
  nodesWithAddresses(addresses: readonly string[]): Promise<string[]>;
}

/** No port has this UUID. HTTP 404. */
export class PortNotFound extends ConductorError {
  override readonly name = 'PortNotFound';
  readonly code = 'PORT_NOT_FOUND';
  constructor(readonly port: string) {
    super(`Port ${port} could not be found.`);
  }
}

/** Another port already has this MAC address (or UUID). HTTP 409. */
export class PortAlreadyExists extends ConductorError {
  override readonly name = 'PortAlreadyExists';
  readonly code = 'PORT_ALREADY_EXISTS';
  constructor(
    readonly field: 'address' | 'uuid',
    readonly value: string,
  ) {
    super(
      field === 'address'
        ? `A port with MAC address ${value} already exists.`
        : `A port with UUID ${value} already exists.`,
    );
  }
}
